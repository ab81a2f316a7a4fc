using System.Net;
using PostalPeak.Tests.Indicators;

namespace PostalPeak.Tests.Browser;

/// <summary>An analyst's and a carrier manager's way through the sample seasons, in Chromium.</summary>
[Collection(SampleSeasonsDatabase.Collection)]
public sealed class DashboardInBrowserTests(SampleSeasonsDatabase sample, Infrastructure.Browser browser) : IDisposable
{
    public void Dispose() => browser.AssertNoPolicyViolations();

    [Fact]
    public async Task AnAnalystOpensTheOverviewDrillsIntoACarrierAndAUnitComparesSeasonsAndExports()
    {
        var page = await browser.NewPageAsync(sample.App.BaseAddress);
        await Infrastructure.Browser.SignInAsync(page, "analyst");

        await page.GotoAsync("/dashboard?season=2026&day=2026-02-07");
        var tiles = await page.Locator("[data-test=tiles] .tile").CountAsync();
        await Infrastructure.Browser.ScreenshotAsync(page, "overview");
        await page.ClickAsync("[data-carrier=HOATOC] h3 a");
        await page.WaitForURLAsync("**/series?season=2026&carrier=HOATOC");
        var chartLoaded = await page.Locator("[data-test=chart-backlog]").EvaluateAsync<bool>("img => img.complete && img.naturalWidth === 900");
        await Infrastructure.Browser.ScreenshotAsync(page, "carrier", fullPage: false);
        // The worst unit comes first: the spiral.
        var worst = await page.Locator("[data-test=units] tbody tr").First.InnerTextAsync();
        await page.Locator("[data-test=units] tbody tr a").First.ClickAsync();
        await page.WaitForURLAsync("**unit=*");
        var unitDays = await page.Locator("[data-test=daily] tbody tr").CountAsync();

        await page.GotoAsync("/compare?season=2025&season=2026&unit=14758");
        var approximate = await page.Locator("[data-test=approximate]").CountAsync();
        var compareHeader = await page.Locator("[data-test=compare] thead").InnerTextAsync();
        await Infrastructure.Browser.ScreenshotAsync(page, "compare");

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("figcaption a:text('CSV')"));
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);

        await page.ClickAsync("[data-test=language]");
        var english = await page.Locator("h1").InnerTextAsync();

        Assert.Equal(6, tiles);
        Assert.True(chartLoaded);
        Assert.True(worst.Contains("15853", StringComparison.Ordinal) || worst.Contains("15448", StringComparison.Ordinal), worst);
        Assert.Equal(46, unitDays);
        Assert.Equal(1, approximate);
        Assert.Contains("2025", compareHeader, StringComparison.Ordinal);
        Assert.Contains("tet_offset", csv, StringComparison.Ordinal);
        Assert.Contains("14758", csv, StringComparison.Ordinal);
        Assert.Equal("Compare seasons", english.Trim());
    }

    [Fact]
    public async Task ACarrierManagerSeesOnlyItsOwnCarrierOnAPhone()
    {
        var page = await browser.NewPageAsync(sample.App.BaseAddress, phone: true);
        await Infrastructure.Browser.SignInAsync(page, "hoatoc.manager");

        await page.GotoAsync("/dashboard?season=2026&day=2026-02-07");
        var carriers = await page.Locator("[data-test=tiles] .tile h3").AllInnerTextsAsync();
        await Infrastructure.Browser.ScreenshotAsync(page, "overview-phone");
        var other = await page.GotoAsync("/series?season=2026&carrier=LAMSON");
        var chart = await page.APIRequest.GetAsync("/charts/backlog.png?season=2026&carrier=LAMSON");

        Assert.Equal(["HOATOC"], carriers);
        Assert.Contains("/account/denied", page.Url, StringComparison.Ordinal);
        Assert.NotNull(other);
        Assert.Equal((int)HttpStatusCode.Forbidden, chart.Status);
    }

    [Fact]
    public async Task OnAPhoneTheHeatmapsTableScrollsSidewaysWithinThePage()
    {
        var page = await browser.NewPageAsync(sample.App.BaseAddress, phone: true);
        await Infrastructure.Browser.SignInAsync(page, "hoatoc.manager");

        await page.GotoAsync("/heatmap?season=2026");
        var table = page.Locator("[data-test=heatmap-table]");
        var units = await table.Locator("tbody tr").CountAsync();
        // Days to clear has an alert rule: the cells past its threshold are amber (or red past a critical one).
        var marked = await table.Locator("td.band.warn, td.band.bad").CountAsync();
        var scrollsInside = await page.Locator(".scroll-x").EvaluateAsync<bool>("div => div.scrollWidth > div.clientWidth");
        var pageFits = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth");
        var alt = await page.Locator("[data-test=chart-heatmap]").GetAttributeAsync("alt");
        await table.ScrollIntoViewIfNeededAsync();
        await Infrastructure.Browser.ScreenshotAsync(page, "heatmap-phone", fullPage: false);

        Assert.True(units > 10, $"{units} units");
        Assert.True(marked > 0);
        Assert.True(scrollsInside);
        Assert.True(pageFits);
        Assert.Contains("HOATOC", alt, StringComparison.Ordinal);
    }
}
