using System.Collections.Concurrent;
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
    private readonly ConcurrentQueue<string> _violations = new();

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
        // Whatever the Content Security Policy blocks (an inline script, a style attribute, a script from elsewhere)
        // is a broken page: the event says so in every case, Chromium's console in its own words.
        await context.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => console.error("
            + "`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile || e.documentURI}:${e.lineNumber}`));");
        context.Console += (_, message) =>
        {
            if (message.Type == "error" && (message.Text.StartsWith("CSP violation", StringComparison.Ordinal) || message.Text.Contains("Content Security Policy", StringComparison.Ordinal)))
                _violations.Enqueue($"{message.Page?.Url}: {message.Text}");
        };
        return await context.NewPageAsync();
    }

    /// <summary>
    /// Fails the test that ran if a page it opened broke the Content Security Policy; browser test classes call it
    /// when each test ends (Dispose). Tests of one collection run one after another, so what is reported is theirs.
    /// </summary>
    public void AssertNoPolicyViolations()
    {
        var violations = TakePolicyViolations();
        Assert.True(violations.Count == 0, "The browser reported Content Security Policy violations:\n" + string.Join("\n", violations));
    }

    public List<string> TakePolicyViolations()
    {
        var taken = new List<string>();
        while (_violations.TryDequeue(out var violation))
            taken.Add(violation);
        return taken;
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
