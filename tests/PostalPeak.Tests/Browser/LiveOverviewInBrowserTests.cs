using PostalPeak.Accounts;
using PostalPeak.Tests.Indicators;

namespace PostalPeak.Tests.Browser;

[Collection(BrowserTests.Name)]
public sealed class LiveOverviewInBrowserTests(Infrastructure.Browser browser) : IDisposable
{
    public void Dispose() => browser.AssertNoPolicyViolations();

    [Fact]
    public async Task AnOpenOverviewShowsANewDaysFiguresWithoutAnyoneReloadingIt()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddUserAsync("analyst", Roles.Analyst);
        await IndicatorTestData.IngestAsync(app, "ALPHA", "report_date,unit_code,received,delivered,backlog\n2026-02-10,14758,1000,900,300\n");
        await using var served = await ServedApp.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__PostalPeak"] = app.ConnectionString,
            ["Dashboard__RefreshSeconds"] = "2",
        });
        var page = await browser.NewPageAsync(served.Url);
        await Infrastructure.Browser.SignInAsync(page, "analyst");
        await page.GotoAsync("/dashboard?season=2026");
        var before = await page.Locator("[data-test=dashboard-day]").InnerTextAsync();

        // The carrier's system sends the next day through the API while the analyst just watches.
        using var machine = served.Client(await app.CreateTokenAsync("ALPHA"));
        using var body = new StringContent("report_date,unit_code,received,delivered,backlog\n2026-02-11,14758,1000,800,500\n", System.Text.Encoding.UTF8, "text/csv");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await machine.PostAsync("/api/v1/uploads", body)).StatusCode);
        await page.Locator("[data-test=dashboard-day]", new() { HasTextString = "11/02/2026" }).WaitForAsync(new() { Timeout = 60_000 });
        var tile = await page.Locator("[data-carrier=ALPHA]").InnerTextAsync();

        Assert.Contains("10/02/2026", before, StringComparison.Ordinal);
        Assert.Contains("500", tile, StringComparison.Ordinal);
    }
}
