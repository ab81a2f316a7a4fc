using PostalPeak.Accounts;

namespace PostalPeak.Tests.Browser;

/// <summary>A carrier manager sends the duty roster on a phone, in Chromium, and reads who is on duty.</summary>
[Collection(BrowserTests.Name)]
public sealed class DutyInBrowserTests(Infrastructure.Browser browser) : IDisposable
{
    public void Dispose() => browser.AssertNoPolicyViolations();

    [Fact]
    public async Task ACarrierManagerSendsTheRosterOnAPhoneAndSeesWhoIsOnDutyWithNumbersToCall()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA", "Bưu chính Alpha");
        await app.AddUserAsync("alpha.manager", Roles.CarrierManager, "ALPHA");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeBySystemTimeZoneId(DateTime.UtcNow, "Asia/Ho_Chi_Minh"));
        var file = Path.Combine(Path.GetTempPath(), $"lich-truc-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, "Ngày,Ca,Lãnh đạo trực,Chức vụ,Số điện thoại lãnh đạo,Trực điều hành,Số điện thoại điều hành,Đường dây nóng,Trực 24/24\n"
            + $"{today:dd/MM/yyyy},cả ngày,Nguyễn Văn An,Phó Giám đốc,0912 345 678,Trần Thị Bình,0987 654 321,1900 545481,có\n");
        try
        {
            var page = await browser.NewPageAsync(app.BaseAddress, phone: true);
            await Infrastructure.Browser.SignInAsync(page, "alpha.manager");

            await page.GotoAsync("/duty/roster");
            await page.SetInputFilesAsync("[data-test=roster-form] input[type=file]", file);
            await page.ClickAsync("[data-test=roster-form] button[type=submit]");
            var accepted = await page.Locator("[data-test=roster-accepted]").InnerTextAsync();
            var rosterFits = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth");

            await page.ClickAsync("nav a[href='/duty']");
            await page.WaitForURLAsync("**/duty");
            var card = await page.Locator("[data-test=on-duty-ALPHA]").InnerTextAsync();
            var calls = await page.Locator("[data-test=on-duty-ALPHA] a[href^='tel:']").EvaluateAllAsync<string[]>("links => links.map(l => l.getAttribute('href'))");
            var dutyFits = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth");

            Assert.Contains("Đã nhận lịch trực: 1 dòng", accepted, StringComparison.Ordinal);
            Assert.True(rosterFits, "The roster page is wider than a 390-px phone.");
            Assert.Contains("Nguyễn Văn An, Phó Giám đốc", card, StringComparison.Ordinal);
            Assert.Contains("0912 345 678", card, StringComparison.Ordinal);
            Assert.Contains("trực 24/24 giờ", card, StringComparison.Ordinal);
            Assert.Equal(["tel:+84912345678", "tel:+84987654321", "tel:1900545481"], calls);
            Assert.True(dutyFits, "The duty page is wider than a 390-px phone.");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
