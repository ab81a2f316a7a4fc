using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Accounts;
using PostalPeak.Alerts;
using PostalPeak.Tests.Indicators;

namespace PostalPeak.Tests.Browser;

[Collection(BrowserTests.Name)]
public sealed class AlertsInBrowserTests(Infrastructure.Browser browser) : IDisposable
{
    public void Dispose() => browser.AssertNoPolicyViolations();

    [Fact]
    public async Task AnAnalystFollowsAFiringAlertToItsSeriesAcknowledgesItAndSilencesTheCarrier()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA", "Bưu chính Alpha");
        await app.AddUserAsync("analyst", Roles.Analyst);
        await IndicatorTestData.IngestAsync(app, "ALPHA",
            "report_date,unit_code,received,delivered,lost\n2024-01-20,380,1000,900,0\n2024-01-21,380,1000,900,30\n2024-01-22,380,1000,900,25\n");
        await app.Services.GetRequiredService<AlertEvaluator>().EvaluateCarrierAsync(1, CancellationToken.None);
        await using var served = await ServedApp.StartAsync(new Dictionary<string, string> { ["ConnectionStrings__PostalPeak"] = app.ConnectionString });
        var page = await browser.NewPageAsync(served.Url);

        await Infrastructure.Browser.SignInAsync(page, "analyst");
        await page.GotoAsync("/alerts?state=firing&from=2024-01-01&to=2024-01-31");
        var rows = await page.Locator("[data-test=alerts] tbody tr").AllInnerTextsAsync();
        var lostParcels = await app.Services.GetRequiredService<AlertRules>().ListAsync(null);
        var lostName = lostParcels.Single(r => r.Code == "lost_parcels").NameVi;
        await page.Locator("[data-test=alerts] tbody tr a", new() { HasText = lostName }).ClickAsync();
        await page.WaitForURLAsync("**/alerts/*");
        var summary = await page.Locator("[data-test=alert-summary]").InnerTextAsync();
        var title = await page.Locator("h1").InnerTextAsync();
        var points = (await page.Locator("[data-test=alert-series] polyline").GetAttributeAsync("points"))!.Split(' ').Length;

        await page.FillAsync("#Note", "Đã gọi điện cho doanh nghiệp");
        await page.ClickAsync("[data-test=acknowledge]");
        var acknowledged = await page.Locator("p.notice[role=status]").InnerTextAsync();
        var acknowledgeFormsLeft = await page.Locator("[data-test=acknowledge]").CountAsync();
        var addressAfterAcknowledge = page.Url;
        await page.SelectOptionAsync("#Scope", "carrier");
        await page.FillAsync("#Hours", "12");
        await page.FillAsync("#Reason", "Doanh nghiệp đang kiểm kê lại");
        await page.ClickAsync("[data-test=silence]");
        var silenced = await page.Locator("p.notice[role=status]").InnerTextAsync();
        var reasonAfterwards = await page.InputValueAsync("#Reason");
        var history = await page.Locator("[data-test=alert-events]").InnerTextAsync();
        await Infrastructure.Browser.ScreenshotAsync(page, "alert-detail");
        await page.GotoAsync("/alerts/silences");
        var silences = await page.Locator("[data-test=silences]").InnerTextAsync();

        Assert.All(rows, row => Assert.Contains("ALPHA", row, StringComparison.Ordinal));
        Assert.Contains("ALPHA", summary, StringComparison.Ordinal);
        Assert.Contains(lostName, title, StringComparison.Ordinal);
        Assert.True(points >= 2, $"{points} points drawn");
        Assert.Equal("Đã tiếp nhận cảnh báo.", acknowledged.Trim());
        Assert.Equal(0, acknowledgeFormsLeft); // nothing left to acknowledge
        Assert.DoesNotContain("handler", addressAfterAcknowledge, StringComparison.Ordinal); // a reload does not post again
        Assert.Equal("Đã tạm tắt thông báo.", silenced.Trim());
        Assert.Equal("", reasonAfterwards); // the form is ready for another silence, not a resubmission
        Assert.Contains("Đã tiếp nhận", history, StringComparison.Ordinal);
        Assert.Contains("Đã gọi điện cho doanh nghiệp", history, StringComparison.Ordinal);
        Assert.Contains("Tạm tắt thông báo", history, StringComparison.Ordinal);
        Assert.Contains("Doanh nghiệp đang kiểm kê lại", silences, StringComparison.Ordinal);
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal("analyst", await connection.QuerySingleAsync<string>(
            "select acknowledged_by from alert a join alert_rule r on r.id = a.rule_id where r.code = 'lost_parcels'"));
    }
}
