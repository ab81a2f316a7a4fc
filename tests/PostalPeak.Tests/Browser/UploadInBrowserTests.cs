using System.Globalization;
using PostalPeak.Accounts;

namespace PostalPeak.Tests.Browser;

[Collection(BrowserTests.Name)]
public sealed class UploadInBrowserTests(Infrastructure.Browser browser) : IDisposable
{
    public void Dispose() => browser.AssertNoPolicyViolations();

    [Fact]
    public async Task ACarrierManagerUploadsAFileWatchesItBecomeAcceptedAndSeesTheFigures()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA", "Bưu chính Alpha");
        await app.AddCarrierAsync("BETA");
        await app.AddUserAsync("manager", Roles.CarrierManager, "ALPHA");
        await using var served = await ServedApp.StartAsync(new Dictionary<string, string> { ["ConnectionStrings__PostalPeak"] = app.ConnectionString });
        var page = await browser.NewPageAsync(served.Url);
        var file = Path.Combine(Path.GetTempPath(), $"bao-cao-{Guid.NewGuid():N}.csv");
        var day = new DateOnly(2026, 2, 10);
        await File.WriteAllTextAsync(file, $"Ngày báo cáo,Mã đơn vị,Sản lượng nhận,Phát thành công,Tồn đọng cuối ngày\n{day:dd/MM/yyyy},14758,1.234,1.100,300\n");

        try
        {
            await Infrastructure.Browser.SignInAsync(page, "manager");
            await page.GotoAsync("/uploads");
            await page.SetInputFilesAsync("#files", file);
            await page.ClickAsync("#upload-form button[type=submit]");
            // The page follows the upload until the figures have caught up; only then does the dashboard show it.
            await page.Locator("#results tbody tr td.notice .figures.updated").WaitForAsync(new() { Timeout = 60_000 });
            var status = await page.Locator("#results tbody tr td").Nth(1).InnerTextAsync();
            await Infrastructure.Browser.ScreenshotAsync(page, "uploads");

            await page.GotoAsync("/dashboard?season=2026");
            var tile = await page.Locator("[data-carrier=ALPHA]").InnerTextAsync();
            var tiles = await page.Locator("[data-test=tiles] .tile").CountAsync();
            await page.GotoAsync("/indicators?season=2026");
            var table = await page.Locator("[data-test=indicators]").InnerTextAsync();
            var forbidden = await page.GotoAsync("/carriers/BETA/uploads");

            Assert.Equal("Đã nhận · số liệu đã cập nhật", status.Trim());
            // The overview opens on the latest reported day, 10 February, with the counted backlog of 300.
            Assert.Equal(1, tiles);
            Assert.Contains("300", tile, StringComparison.Ordinal);
            Assert.Contains("ALPHA", table, StringComparison.Ordinal);
            Assert.Contains(1234.ToString("N0", CultureInfo.GetCultureInfo("vi-VN")), table, StringComparison.Ordinal);
            Assert.DoesNotContain("BETA", table, StringComparison.Ordinal);
            Assert.Contains("/account/denied", page.Url, StringComparison.Ordinal);
            Assert.NotNull(forbidden);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task AnUploadOverTheCarriersLimitIsExplainedInVietnameseWithTheWait()
    {
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?> { ["Ingestion:UploadsPerMinute"] = "1" });
        await app.AddCarrierAsync("ALPHA");
        await app.AddUserAsync("manager", Roles.CarrierManager, "ALPHA");
        // The carrier's system has used the minute's budget already: the person's upload is one too many.
        using var machine = app.Client(await app.CreateTokenAsync("ALPHA"));
        using var body = new StringContent("report_date,unit_code,received,delivered\n2026-02-09,14758,1,1\n", System.Text.Encoding.UTF8, "text/csv");
        Assert.Equal(HttpStatusCode.Accepted, (await machine.PostAsync("/api/v1/uploads", body)).StatusCode);
        var page = await browser.NewPageAsync(app.BaseAddress);
        var file = Path.Combine(Path.GetTempPath(), $"bao-cao-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, "report_date,unit_code,received,delivered\n2026-02-10,14758,1,1\n");

        try
        {
            await Infrastructure.Browser.SignInAsync(page, "manager");
            await page.GotoAsync("/uploads");
            await page.SetInputFilesAsync("#files", file);
            await page.ClickAsync("#upload-form button[type=submit]");
            var status = page.Locator("#results tbody tr td.error");
            await status.WaitForAsync(new() { Timeout = 30_000 });
            var text = await status.InnerTextAsync();

            Assert.Matches(@"^Doanh nghiệp đã gửi 1 tệp trong một phút, .* hãy đợi \d+ giây rồi gửi lại\.$", text.Trim());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
