using Dapper;
using PostalPeak.Accounts;

namespace PostalPeak.Tests.Browser;

/// <summary>Declaring a carrier's service units on a phone, in Chromium.</summary>
[Collection(BrowserTests.Name)]
public sealed class ServiceUnitsInBrowserTests(Infrastructure.Browser browser) : IDisposable
{
    public void Dispose() => browser.AssertNoPolicyViolations();

    [Fact]
    public async Task AnAnalystDeclaresThreeUnitsOnAPhoneAndThenLetsThemBeDerivedAgain()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA", "Bưu chính Alpha");
        await app.AddUserAsync("analyst", Roles.Analyst);
        await using var connection = await app.Db.OpenConnectionAsync();
        // Three communes in force today, as the page lists them to choose from.
        var units = (await connection.QueryAsync<(string Code, string Name)>(
            "select code, name from admin_unit where level = 'commune' and valid_to is null order by code limit 3")).ToList();
        var page = await browser.NewPageAsync(app.BaseAddress, phone: true);
        await Infrastructure.Browser.SignInAsync(page, "analyst");

        await page.GotoAsync("/carriers");
        await page.ClickAsync("[data-test=carriers] a[href='/carriers/ALPHA/service-units']");
        await page.WaitForURLAsync("**/carriers/ALPHA/service-units");
        var before = await page.Locator("[data-test=service-units-source]").InnerTextAsync();
        await page.FillAsync("#Units", string.Join("\n", units.Select(u => u.Code)) + "\n" + units[0].Code);
        await page.ClickAsync("[data-test=save-service-units]");
        var saved = await page.Locator("[data-test=service-units-saved]").InnerTextAsync();
        var listed = await page.Locator("[data-test=service-units] li").AllInnerTextsAsync();
        var pageFits = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth");
        await Infrastructure.Browser.ScreenshotAsync(page, "service-units-phone");
        await page.ClickAsync("[data-test=derive-service-units]");
        var cleared = await page.Locator("[data-test=service-units-saved]").InnerTextAsync();
        var after = await page.Locator("[data-test=service-units-source]").GetAttributeAsync("data-source");

        Assert.Contains("Chưa khai báo", before, StringComparison.Ordinal);
        Assert.Equal("Đã lưu danh sách 3 đơn vị phục vụ của ALPHA.", saved.Trim());
        Assert.Equal(units.Select(u => $"{u.Name} ({u.Code})"), listed.Select(l => l.Trim()));
        Assert.True(pageFits, "The page is wider than a 390-px phone.");
        Assert.Contains("suy ra từ báo cáo", cleared, StringComparison.Ordinal);
        Assert.Equal("derived", after);
    }
}
