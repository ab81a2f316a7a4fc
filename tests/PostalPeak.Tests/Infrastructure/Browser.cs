using Microsoft.Playwright;

namespace PostalPeak.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium driven by Playwright, launched once per test run; every test opens its own context
/// (cookies, storage), so tests stay independent. Nothing is downloaded: the browser is /usr/bin/chromium,
/// which .ci/run installs.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string Executable = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    /// <summary>A fresh context at a phone's or a laptop's size, in the product's default language.</summary>
    public async Task<IPage> NewPageAsync(Uri baseUrl, bool phone = false)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl.ToString(),
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1366, Height = 900 },
            Locale = "vi-VN",
            TimezoneId = "Asia/Ho_Chi_Minh",
        });
        // Generous: the CI machine runs the whole suite, a throwaway PostgreSQL and the browser on two cores.
        context.SetDefaultTimeout(45_000);
        context.SetDefaultNavigationTimeout(45_000);
        return await context.NewPageAsync();
    }

    public static async Task SignInAsync(IPage page, string userName, string password = TestApp.Password)
    {
        await page.GotoAsync("/account/sign-in");
        await page.FillAsync("#UserName", userName);
        await page.FillAsync("#Password", password);
        // The form posts and is redirected; waiting for that one navigation's DOM (not every later resource)
        // keeps this steady on a loaded machine.
        var navigated = page.WaitForURLAsync(url => !url.Contains("/account/sign-in", StringComparison.Ordinal),
            new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        await page.ClickAsync("button[type=submit].primary");
        await navigated;
        if (page.Url.Contains("/account/sign-in", StringComparison.Ordinal))
            throw new InvalidOperationException($"Signing in as {userName} failed: still on {page.Url}.");
    }

    /// <summary>Full-page screenshots land in TestResults/screenshots, for the docs and for looking at a failure.</summary>
    public static async Task ScreenshotAsync(IPage page, string name, bool fullPage = true)
    {
        var folder = Path.Combine(Storage.MigrationTests.RepositoryRoot(), "TestResults", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = fullPage });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserTests : ICollectionFixture<Browser>
{
    public const string Name = "Browser";
}
