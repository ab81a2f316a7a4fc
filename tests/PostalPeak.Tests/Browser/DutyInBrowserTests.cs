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

    [Fact]
    public async Task ACarrierManagerTypesADayCopiesItToTheNextFillsARangeSavesAndSeesTheDaysInTheRoster()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA", "Bưu chính Alpha");
        await app.AddUserAsync("alpha.manager", Roles.CarrierManager, "ALPHA");
        var page = await browser.NewPageAsync(app.BaseAddress, phone: true);
        await Infrastructure.Browser.SignInAsync(page, "alpha.manager");

        await page.GotoAsync("/duty/roster?season=2027");
        await page.ClickAsync("[data-test=roster-edit-link]");
        await page.WaitForURLAsync("**/duty/roster/edit?season=2027");
        // Tết 2027 is 06/02: the editor opens on the run-up, 30/01 first.
        var first = page.Locator("tr[data-date='2027-01-30']");
        await first.Locator("[data-field=leader_name]").FillAsync("Nguyễn Văn An");
        await first.Locator("[data-field=leader_position]").FillAsync("Phó Giám đốc");
        await first.Locator("[data-field=leader_phone]").FillAsync("0912 345 678");
        await first.Locator("[data-field=operator_name]").FillAsync("Trần Thị Bình");
        await first.Locator("[data-field=operator_phone]").FillAsync("0987 654 321");
        await first.Locator("[data-field=hotline]").FillAsync("1900 545481");
        await first.Locator("[data-field=hotline_24h]").CheckAsync();

        var second = page.Locator("tr[data-date='2027-01-31']");
        await second.Locator("button.copy-previous").ClickAsync();
        var copied = await second.Locator("[data-field=leader_phone]").InputValueAsync();
        await second.Locator("[data-field=leader_name]").FillAsync("Lê Văn Cường");
        await second.Locator("button.fill-range").ClickAsync();
        await page.Locator("#fill-from").FillAsync("01/02/2027");
        await page.Locator("#fill-to").FillAsync("03/02/2027");
        await page.ClickAsync("#fill-apply");
        var filled = await page.Locator("tr[data-date='2027-02-03'] [data-field=leader_name]").InputValueAsync();
        var untouched = await page.Locator("tr[data-date='2027-02-04'] [data-field=leader_name]").InputValueAsync();
        var editorFits = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth");

        await page.ClickAsync("[data-test=roster-save]");
        var saved = await page.Locator("[data-test=roster-saved]").InnerTextAsync();
        await page.GotoAsync("/duty/roster?season=2027");
        var days = await page.EvaluateAsync<string[]>(
            "() => Array.from(document.querySelectorAll('[data-test=roster-grid] tbody tr')).map(r => r.textContent.replace(/\\s+/g, ' ').trim())");

        Assert.Equal("0912 345 678", copied);
        Assert.Equal("Lê Văn Cường", filled);
        Assert.Equal("", untouched);
        Assert.True(editorFits, "The roster editor is wider than a 390-px phone; its table should scroll on its own.");
        Assert.Contains("Đã nhận lịch trực: 5 dòng (5 mới", saved, StringComparison.Ordinal);
        foreach (var (day, leader) in new[] { ("30/01/2027", "Nguyễn Văn An"), ("31/01/2027", "Lê Văn Cường"), ("01/02/2027", "Lê Văn Cường"),
                     ("02/02/2027", "Lê Văn Cường"), ("03/02/2027", "Lê Văn Cường") })
            Assert.Contains(days, line => line.StartsWith(day, StringComparison.Ordinal) && line.Contains(leader + " · 0912 345 678", StringComparison.Ordinal));
        Assert.DoesNotContain(days, line => line.StartsWith("04/02/2027", StringComparison.Ordinal) && line.Contains("Văn", StringComparison.Ordinal));
    }
}
