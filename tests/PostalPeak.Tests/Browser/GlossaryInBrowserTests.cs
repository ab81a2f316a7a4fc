using PostalPeak.Accounts;
using PostalPeak.Tests.Indicators;

namespace PostalPeak.Tests.Browser;

/// <summary>On a phone, a figure's info link on the overview opens its glossary entry, and the glossary and heatmap key fit the screen.</summary>
[Collection(BrowserTests.Name)]
public sealed class GlossaryInBrowserTests(Infrastructure.Browser browser) : IDisposable
{
    public void Dispose() => browser.AssertNoPolicyViolations();

    [Fact]
    public async Task OnAPhoneATilesInfoLinkOpensTheFiguresGlossaryEntryAndThePagesFitTheScreen()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("HOATOC");
        await app.AddUserAsync("analyst", Roles.Analyst);
        Assert.Equal("accepted", (await IndicatorTestData.IngestAsync(app, "HOATOC", GlossaryTests.Reports.Replace("\r\n", "\n", StringComparison.Ordinal))).Status);
        var page = await browser.NewPageAsync(app.BaseAddress, phone: true);
        await Infrastructure.Browser.SignInAsync(page, "analyst");

        await page.GotoAsync("/dashboard?season=2024");
        var link = page.Locator("[data-carrier=HOATOC] dt a[href='/glossary#days_to_clear']");
        var label = await link.GetAttributeAsync("aria-label");
        await link.ClickAsync();
        await page.WaitForURLAsync("**/glossary#days_to_clear");
        var entry = page.Locator("section#days_to_clear");
        var targeted = await entry.EvaluateAsync<bool>("section => section.matches(':target')");
        var entryText = await entry.InnerTextAsync();
        var inView = await entry.EvaluateAsync<bool>("section => { const r = section.getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight; }");
        var glossaryFits = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth");
        await Infrastructure.Browser.ScreenshotAsync(page, "glossary-phone", fullPage: false);
        await page.GotoAsync("/heatmap?season=2024&metric=days_to_clear");
        var key = await page.Locator("[data-test=heatmap-legend]").InnerTextAsync();
        var heatmapFits = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth");

        Assert.Equal("Định nghĩa: Số ngày giải tỏa (nhịp 3 ngày)", label);
        Assert.True(targeted);
        Assert.True(inView);
        Assert.Contains("days_to_clear", entryText, StringComparison.Ordinal);
        Assert.Contains("Số ngày giải tỏa (cả giai đoạn)", entryText, StringComparison.Ordinal);
        Assert.True(glossaryFits);
        Assert.Contains("Số ngày giải tỏa > 5", key, StringComparison.Ordinal);
        Assert.True(heatmapFits);
    }
}
