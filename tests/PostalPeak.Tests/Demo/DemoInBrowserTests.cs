using System.Text.RegularExpressions;
using PostalPeak.Tests.Infrastructure;

namespace PostalPeak.Tests.Demo;

/// <summary>
/// The `demo` command as a newcomer runs it: the real executable loads the committed sample seasons through
/// the ingestion jobs, prints its accounts and address, and the browser lands on figures and firing alerts.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed partial class DemoInBrowserTests(Infrastructure.Browser browser) : IDisposable
{
    public void Dispose() => browser.AssertNoPolicyViolations();

    [Fact]
    public async Task TheDemoLoadsTheSampleSeasonsAndOpensOnChartsFiringAlertsAndTheMailbox()
    {
        await using var database = await TestApp.StartAsync();
        await using var demo = await ServedApp.StartAsync(new Dictionary<string, string> { ["ConnectionStrings__PostalPeak"] = database.ConnectionString },
            ["demo"], TimeSpan.FromMinutes(5));
        var accounts = demo.StartOutput.Select(line => Account().Match(line)).Where(m => m.Success)
            .ToDictionary(m => m.Groups["role"].Value, m => (User: m.Groups["user"].Value, Password: m.Groups["password"].Value));

        var page = await browser.NewPageAsync(demo.Url);
        await Infrastructure.Browser.SignInAsync(page, accounts["Analyst"].User, accounts["Analyst"].Password);
        await page.GotoAsync("/");
        var banner = await page.Locator("[data-test=demo]").InnerTextAsync();
        var firing = await page.Locator("[data-test=alerts-firing]").InnerTextAsync();
        await Infrastructure.Browser.ScreenshotAsync(page, "demo-landing", fullPage: false);
        await page.ClickAsync("[data-test=open-dashboard]");
        await page.Locator("[data-test=tiles]").WaitForAsync();
        var tiles = await page.Locator("[data-test=tiles] .tile").CountAsync();
        var firingOnDashboard = await page.Locator("[data-test=firing]").InnerTextAsync();
        var hoatocTile = await page.Locator("[data-carrier=HOATOC]").InnerTextAsync();
        var hoatocWorst = await page.Locator("[data-carrier=HOATOC] [data-test=tile-worst] a").GetAttributeAsync("href");
        // The chart is drawn on first request, after the page itself has arrived.
        await page.WaitForLoadStateAsync(Microsoft.Playwright.LoadState.Load);
        var chartLoaded = await page.Locator("[data-test=chart-backlog]").EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0");
        await Infrastructure.Browser.ScreenshotAsync(page, "demo-dashboard", fullPage: false);
        // The alerts' e-mails were queued while loading; the job server delivers them once the demo serves.
        var mails = 0;
        for (var attempt = 0; attempt < 60 && mails == 0; attempt++)
        {
            if (attempt > 0)
                await Task.Delay(1000);
            await page.GotoAsync("/admin/mailbox");
            mails = await page.Locator("[data-test=mail]").CountAsync();
        }
        var firstMail = await page.Locator("[data-test=mail] summary").First.InnerTextAsync();

        var manager = await browser.NewPageAsync(demo.Url);
        await Infrastructure.Browser.SignInAsync(manager, accounts["CarrierManager"].User, accounts["CarrierManager"].Password);
        await manager.GotoAsync("/alerts?state=firing");
        var managerAlerts = await manager.Locator("[data-test=alerts]").InnerTextAsync();

        Assert.Contains(demo.StartOutput, line => line.Contains("(100%)", StringComparison.Ordinal));
        Assert.Equal(["Admin", "Analyst", "CarrierManager"], accounts.Keys.Order(StringComparer.Ordinal));
        // The latest season stops four days before Tết 2026 (17 February), in the run-up.
        Assert.Contains("13/02/2026", banner, StringComparison.Ordinal);
        Assert.Matches(@"Cảnh báo đang phát: [1-9]", firing);
        Assert.Equal(6, tiles);
        Assert.Contains("HOATOC", firingOnDashboard, StringComparison.Ordinal);
        Assert.Contains("LAMSON", firingOnDashboard, StringComparison.Ordinal);
        Assert.Matches("Cảnh báo đang phát: [1-9]", hoatocTile);
        Assert.Matches("unit=(15448|15853)$", hoatocWorst);
        Assert.True(chartLoaded, "the province backlog chart did not load");
        Assert.True(mails > 0, "no e-mail reached the local mailbox");
        Assert.Contains(".example", firstMail, StringComparison.Ordinal);
        Assert.Contains("HOATOC", managerAlerts, StringComparison.Ordinal);
        Assert.DoesNotContain("LAMSON", managerAlerts, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\s+(?<role>Admin|Analyst|CarrierManager)\s+(?<user>\S+)\s+(?<password>\S+)$")]
    private static partial Regex Account();
}
