using System.Text.Json;
using PostalPeak.Accounts;

namespace PostalPeak.Tests.Browser;

/// <summary>An administrator's round through the admin pages, and a carrier manager reading a rejected file, in Chromium.</summary>
[Collection(BrowserTests.Name)]
public sealed class AdminInBrowserTests(Infrastructure.Browser browser) : IDisposable
{
    public void Dispose() => browser.AssertNoPolicyViolations();

    [Fact]
    public async Task AnAdministratorCreatesAManagerAndATokenTightensARuleAndOpensTheCalendar()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA", "Bưu chính Alpha");
        await app.AddUserAsync("admin", Roles.Admin);
        await using var served = await ServedApp.StartAsync(new Dictionary<string, string> { ["ConnectionStrings__PostalPeak"] = app.ConnectionString });
        var page = await browser.NewPageAsync(served.Url);
        await Infrastructure.Browser.SignInAsync(page, "admin");

        // Users: a carrier manager account through the form; the generated password is shown once.
        await page.GotoAsync("/admin/users");
        await page.FillAsync("#UserName", "alpha.manager");
        await page.FillAsync("#DisplayName", "Nguyễn Thị Lan");
        await page.FillAsync("#Email", "lan@alpha.example");
        await page.SelectOptionAsync("#Role", Roles.CarrierManager);
        await page.SelectOptionAsync("#CarrierCode", "ALPHA");
        await page.ClickAsync("main form button.primary");
        var password = (await page.Locator("[data-test=initial-password]").InnerTextAsync()).Trim();
        var createdNotice = await page.Locator("main .card p.notice").InnerTextAsync();
        var managerRow = await page.Locator("main table tbody tr", new() { HasText = "alpha.manager" }).InnerTextAsync();
        await Infrastructure.Browser.ScreenshotAsync(page, "users", fullPage: false);
        await page.GotoAsync("/admin/users");
        var passwordsShownLater = await page.Locator("[data-test=initial-password]").CountAsync();
        // The password printed on the page is the one the account really has.
        var managerPage = await browser.NewPageAsync(served.Url);
        await Infrastructure.Browser.SignInAsync(managerPage, "alpha.manager", password);
        var managerNavigation = await managerPage.Locator("header nav").InnerTextAsync();

        // API tokens: the secret is shown once, the list keeps only its prefix.
        await page.GotoAsync("/carriers");
        await page.ClickAsync("[data-test=carriers] a[href='/carriers/ALPHA/tokens']");
        await page.WaitForURLAsync("**/carriers/ALPHA/tokens");
        await page.FillAsync("#Name", "Hệ thống ERP Alpha");
        await page.ClickAsync("main form button.primary");
        var secret = (await page.Locator("[data-test=token-secret]").InnerTextAsync()).Trim();
        var tokens = await page.Locator("[data-test=tokens]").InnerTextAsync();
        await Infrastructure.Browser.ScreenshotAsync(page, "tokens", fullPage: false);
        await page.GotoAsync("/carriers/ALPHA/tokens");
        var secretsShownLater = await page.Locator("[data-test=token-secret]").CountAsync();
        using var tokenClient = served.Client(secret);
        using var me = JsonDocument.Parse(await tokenClient.GetStringAsync("/api/v1/me"));

        // Alert rules: the defaults are listed; one threshold is changed through the form, and the change is audited.
        await page.GotoAsync("/alerts/rules");
        var defaultRules = await page.Locator("[data-test=alert-rules] tbody tr").CountAsync();
        var backlogRule = page.Locator("[data-test=alert-rules] tbody tr[data-rule=backlog_days_to_clear]");
        var before = await backlogRule.InnerTextAsync();
        await backlogRule.Locator("a").ClickAsync();
        await page.WaitForURLAsync("**/alerts/rules?edit=*");
        var formThreshold = await page.InputValueAsync("#Form_Threshold");
        await page.FillAsync("#Form_Threshold", "6");
        await page.ClickAsync("[data-test=save-rule]");
        var saved = await page.Locator("p.notice[role=status]").InnerTextAsync();
        var after = await backlogRule.InnerTextAsync();
        await Infrastructure.Browser.ScreenshotAsync(page, "alert-rules", fullPage: false);
        var audit = await page.Context.APIRequest.GetAsync("/api/v1/audit?limit=50");
        using var entries = JsonDocument.Parse(await audit.TextAsync());
        var ruleUpdates = entries.RootElement.EnumerateArray()
            .Where(e => e.GetProperty("action").GetString() == "alert_rule.update")
            .Select(e => e.GetProperty("actor").GetString())
            .ToList();

        // Seasons: the calendar of the 2026 season around Mùng 1 Tết, 17 February 2026.
        await page.GotoAsync("/calendar?season=2026");
        var title = await page.Locator("h1").InnerTextAsync();
        var summary = await page.Locator("main > p").First.InnerTextAsync();
        var legend = await page.Locator("p.legend").InnerTextAsync();
        var tetCell = await page.Locator("[data-test=calendar] td.tet").InnerTextAsync();
        var days = await page.Locator("[data-test=calendar] td .solar").CountAsync();
        await Infrastructure.Browser.ScreenshotAsync(page, "seasons", fullPage: false);

        Assert.Contains("alpha.manager", createdNotice, StringComparison.Ordinal);
        Assert.True(password.Length >= 10, password);
        Assert.Contains("Nguyễn Thị Lan", managerRow, StringComparison.Ordinal);
        Assert.Contains("Quản lý doanh nghiệp", managerRow, StringComparison.Ordinal);
        Assert.Contains("ALPHA", managerRow, StringComparison.Ordinal);
        Assert.Equal(0, passwordsShownLater);
        Assert.Contains("Gửi báo cáo", managerNavigation, StringComparison.Ordinal);
        Assert.DoesNotContain("Người dùng", managerNavigation, StringComparison.Ordinal);

        Assert.StartsWith("pp_", secret, StringComparison.Ordinal);
        Assert.Contains("Hệ thống ERP Alpha", tokens, StringComparison.Ordinal);
        Assert.Contains(secret[..10], tokens, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, tokens, StringComparison.Ordinal);
        Assert.Contains("Đang hoạt động", tokens, StringComparison.Ordinal);
        Assert.Equal(0, secretsShownLater);
        Assert.Equal("ALPHA", me.RootElement.GetProperty("carrier_code").GetString());
        Assert.True(me.RootElement.GetProperty("is_token").GetBoolean());

        Assert.Equal(10, defaultRules);
        Assert.Contains("Số ngày giải tỏa > 5", before, StringComparison.Ordinal);
        Assert.Equal("5", formThreshold);
        Assert.Contains("Tồn đọng lâu mới giải tỏa được", saved, StringComparison.Ordinal);
        Assert.Contains("Số ngày giải tỏa > 6", after, StringComparison.Ordinal);
        // The phase overrides went through the form unchanged.
        Assert.Contains("Nghỉ Tết: tắt", after, StringComparison.Ordinal);
        Assert.Contains("Cận Tết: 8", after, StringComparison.Ordinal);
        Assert.Contains("Sau Tết: 7", after, StringComparison.Ordinal);
        Assert.True(audit.Ok, audit.StatusText);
        Assert.Equal("admin", Assert.Single(ruleUpdates));

        Assert.Contains("Tết Bính Ngọ 2026", title, StringComparison.Ordinal);
        Assert.Contains("17/02/2026", summary, StringComparison.Ordinal);
        Assert.Contains("18/01/2026", summary, StringComparison.Ordinal);
        Assert.Contains("04/03/2026", summary, StringComparison.Ordinal);
        Assert.Contains("Nghỉ Tết", legend, StringComparison.Ordinal);
        Assert.Contains("Mùng 1 Tết", tetCell, StringComparison.Ordinal);
        Assert.Equal(46, days);
    }

    [Fact]
    public async Task ACarrierManagerUploadsAFileWithErrorsAndReadsEachErrorWithItsLine()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA", "Bưu chính Alpha");
        await app.AddUserAsync("manager", Roles.CarrierManager, "ALPHA");
        await using var served = await ServedApp.StartAsync(new Dictionary<string, string> { ["ConnectionStrings__PostalPeak"] = app.ConnectionString });
        var page = await browser.NewPageAsync(served.Url);
        var file = Path.Combine(Path.GetTempPath(), $"bao-cao-loi-{Guid.NewGuid():N}.csv");
        // Line 3 still uses a 2023 district code after the 2025 reform; line 4 has a day February does not have.
        await File.WriteAllTextAsync(file,
            "Ngày báo cáo;Mã đơn vị;Sản lượng nhận;Phát thành công;Tồn đọng cuối ngày\n" +
            "10/02/2026;14758;1.234;1.100;300\n" +
            "10/02/2026;380;2.000;1.900;450\n" +
            "31/02/2026;14797;800;750;120\n");

        try
        {
            await Infrastructure.Browser.SignInAsync(page, "manager");
            await page.GotoAsync("/uploads");
            await page.SetInputFilesAsync("#files", file);
            await page.ClickAsync("#upload-form button[type=submit]");
            await page.Locator("#results tbody tr td.error").WaitForAsync(new() { Timeout = 60_000 });
            var listed = await page.Locator("#results tbody tr").InnerTextAsync();
            await page.ClickAsync("#results tbody tr a");
            await page.WaitForURLAsync("**/uploads/*");
            var status = await page.Locator("[data-test=upload-status]").InnerTextAsync();
            var unknownUnit = await page.Locator("[data-test=issues] tbody tr", new() { HasText = "unknown_unit" }).Locator("td").AllInnerTextsAsync();
            var invalidDate = await page.Locator("[data-test=issues] tbody tr", new() { HasText = "invalid_date" }).Locator("td").AllInnerTextsAsync();
            var errorsCsv = await page.Locator("[data-test=errors-csv]").GetAttributeAsync("href");
            await Infrastructure.Browser.ScreenshotAsync(page, "upload-errors", fullPage: false);
            var csv = await page.Context.APIRequest.GetAsync(errorsCsv!);
            var csvText = await csv.TextAsync();

            Assert.Contains("Bị từ chối", listed, StringComparison.Ordinal);
            Assert.Equal("Bị từ chối", status.Trim());
            Assert.Equal("3", unknownUnit[0].Trim());
            // The column as the file named it, with PostalPeak's name beside (it read the bare "unit_code" before).
            Assert.Equal("Mã đơn vị (unit_code)", unknownUnit[1].Trim());
            Assert.Equal("Lỗi", unknownUnit[2].Trim());
            Assert.Equal("Mã đơn vị \"380\" không có hiệu lực vào ngày 10/02/2026. Trước 01/07/2025 dùng mã huyện, từ 01/07/2025 dùng mã xã/phường.",
                unknownUnit[4].Trim());
            Assert.Equal("4", invalidDate[0].Trim());
            Assert.Contains("\"31/02/2026\" không phải ngày hợp lệ", invalidDate[4], StringComparison.Ordinal);
            Assert.True(csv.Ok, csv.StatusText);
            Assert.Contains("unknown_unit", csvText, StringComparison.Ordinal);
            Assert.Contains("invalid_date", csvText, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
