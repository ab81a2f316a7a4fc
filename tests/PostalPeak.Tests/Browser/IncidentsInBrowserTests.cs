using Microsoft.Playwright;
using PostalPeak.Accounts;

namespace PostalPeak.Tests.Browser;

/// <summary>An incident reported with a photo on a phone, then acknowledged and answered by the department, in Chromium.</summary>
[Collection(BrowserTests.Name)]
public sealed class IncidentsInBrowserTests(Infrastructure.Browser browser) : IDisposable
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];

    public void Dispose() => browser.AssertNoPolicyViolations();

    [Fact]
    public async Task ACarrierManagerReportsAnIncidentWithAPhotoOnAPhoneAndAnAnalystAcknowledgesItAndAddsAnUpdate()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("HOATOC", "Bưu chính Hỏa Tốc");
        await app.AddUserAsync("manager", Roles.CarrierManager, "HOATOC");
        await app.AddUserAsync("analyst", Roles.Analyst);

        var phone = await browser.NewPageAsync(app.BaseAddress, phone: true);
        await Infrastructure.Browser.SignInAsync(phone, "manager");
        await phone.GotoAsync("/incidents");
        await phone.ClickAsync("[data-test=report-form] summary");
        await phone.SelectOptionAsync("#Type", "weather");
        await phone.SelectOptionAsync("#Severity", "critical");
        await phone.FillAsync("#StartedAt", "2026-02-10T06:30");
        await phone.FillAsync("#Units", "380");
        await phone.FillAsync("#Parcels", "1200");
        await phone.FillAsync("#Description", "Ngập kho Bỉm Sơn sau mưa lớn");
        await phone.FillAsync("#Contact", "Nguyễn Văn A, 0912 345 678");
        await phone.SetInputFilesAsync("#files", new FilePayload { Name = "kho.png", MimeType = "image/png", Buffer = Png });
        var formFits = await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth");
        await phone.ClickAsync("[data-test=report]");
        await phone.WaitForURLAsync("**/incidents/*");
        var reported = await phone.Locator("[role=status]").InnerTextAsync();
        var state = await phone.Locator("[data-test=incident-state]").InnerTextAsync();
        var attachments = await phone.Locator("[data-test=attachments] a").AllInnerTextsAsync();
        var detailFits = await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth");
        await Infrastructure.Browser.ScreenshotAsync(phone, "incident-reported-phone");
        var url = phone.Url.Split('?')[0];
        await phone.Context.CloseAsync();

        var desk = await browser.NewPageAsync(app.BaseAddress);
        await Infrastructure.Browser.SignInAsync(desk, "analyst");
        await desk.GotoAsync("/incidents");
        await desk.ClickAsync("[data-test=incidents] a >> nth=1");
        await desk.WaitForURLAsync(url);
        await desk.FillAsync("#Note", "Sở đã nhận, đang liên hệ");
        await desk.ClickAsync("[data-test=move-acknowledged]");
        var acknowledged = await desk.Locator("[data-test=incident-state]").InnerTextAsync();
        await desk.FillAsync("#Text", "Đề nghị báo cáo lại lúc 14:00");
        await desk.ClickAsync("[data-test=send-update]");
        var timeline = await desk.Locator("[data-test=timeline] li").AllInnerTextsAsync();
        await desk.Context.CloseAsync();

        Assert.True(formFits, "The report form is wider than a 390-px phone.");
        Assert.True(detailFits, "The incident page is wider than a 390-px phone.");
        Assert.Contains("Sở đã được thông báo", reported, StringComparison.Ordinal);
        Assert.Equal("Đã báo cáo", state.Trim());
        Assert.Equal(["kho.png"], attachments.Select(a => a.Trim()));
        Assert.Equal("Đã tiếp nhận", acknowledged.Trim());
        Assert.Equal(2, timeline.Count);
        Assert.Contains("Đã báo cáo → Đã tiếp nhận", timeline[0], StringComparison.Ordinal);
        Assert.Contains("Đề nghị báo cáo lại lúc 14:00", timeline[1], StringComparison.Ordinal);
        Assert.Equal(1, await app.CountAuditAsync("incident.state"));
    }
}
