using System.Net.Http.Headers;
using System.Text.Json;
using PostalPeak.Accounts;

namespace PostalPeak.Tests.Incidents;

/// <summary>The incident pages as people use them: a carrier manager reports with a photo, an analyst acknowledges and adds an update.</summary>
public sealed class IncidentPageTests
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];

    [Fact]
    public async Task ACarrierManagerReportsWithAPhotoOnThePageAndAnAnalystAcknowledgesItAndAddsAnUpdate()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("HOATOC");
        await app.AddUserAsync("manager", Roles.CarrierManager, "HOATOC");
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var manager = await app.SignedInClientAsync("manager");
        using var analyst = await app.SignedInClientAsync("analyst");

        var list = await manager.GetStringAsync("/incidents");
        Assert.Contains("data-test=\"report-form\"", list, StringComparison.Ordinal);
        Assert.Contains("Báo cáo sự cố", list, StringComparison.Ordinal);
        Assert.DoesNotContain("data-test=\"report-form\"", await analyst.GetStringAsync("/incidents"), StringComparison.Ordinal);

        var photo = new ByteArrayContent(Png);
        photo.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(await TestApp.AntiforgeryTokenAsync(manager, "/incidents")), "__RequestVerificationToken" },
            { new StringContent("overload"), "Type" },
            { new StringContent("critical"), "Severity" },
            { new StringContent("2026-02-10T06:30"), "StartedAt" },
            { new StringContent("380"), "Units" },
            { new StringContent("800"), "Parcels" },
            { new StringContent("Kho Bỉm Sơn quá tải"), "Description" },
            { new StringContent("Nguyễn Văn A, 0912 345 678"), "Contact" },
            { photo, "files", "kho.png" },
        };
        var posted = await manager.PostAsync("/incidents?handler=Report", form);
        Assert.True(posted.StatusCode == HttpStatusCode.Redirect, await posted.Content.ReadAsStringAsync());
        var detailUrl = posted.Headers.Location!.OriginalString;
        var detail = await manager.GetStringAsync(detailUrl);
        Assert.Contains("Đã báo cáo", detail, StringComparison.Ordinal);
        Assert.Contains("10/02/2026 06:30", detail, StringComparison.Ordinal);
        Assert.Contains("kho.png", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("data-test=\"move-acknowledged\"", detail, StringComparison.Ordinal); // the department's to do
        var id = long.Parse(detailUrl.Split('/', '?')[2], System.Globalization.CultureInfo.InvariantCulture);

        var analystPage = await analyst.GetStringAsync(detailUrl);
        Assert.Contains("data-test=\"move-acknowledged\"", analystPage, StringComparison.Ordinal);
        var token = await TestApp.AntiforgeryTokenAsync(analyst, detailUrl);
        var acknowledged = await analyst.PostAsync($"/incidents/{id}?handler=State", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["State"] = "acknowledged", ["Note"] = "Sở đã nhận",
        }));
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        using var update = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("Đề nghị báo cáo lại lúc 14:00"), "Text" },
        };
        Assert.Equal(HttpStatusCode.OK, (await analyst.PostAsync($"/incidents/{id}?handler=Update", update)).StatusCode);

        var after = await manager.GetStringAsync($"/incidents/{id}");
        Assert.Contains("Đã tiếp nhận", after, StringComparison.Ordinal);
        Assert.Contains("Đề nghị báo cáo lại lúc 14:00", after, StringComparison.Ordinal);
        Assert.Contains("data-test=\"move-handling\"", after, StringComparison.Ordinal);
        Assert.Equal(1, await app.CountAuditAsync("incident.state"));
        Assert.Equal(1, await app.CountAuditAsync("incident.update"));
        var english = await manager.GetStringAsync($"/incidents/{id}?culture=en-US");
        Assert.Contains("Acknowledged", english, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheIncidentEndpointsAreInTheOpenApiDocumentUnderTheirTag()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var analyst = await app.SignedInClientAsync("analyst");

        var document = JsonDocument.Parse(await analyst.GetStringAsync("/api/v1/openapi.json")).RootElement;

        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/incidents", "/api/v1/incidents/{id}", "/api/v1/incidents/{id}/updates", "/api/v1/incidents/{id}/state",
                     "/api/v1/incidents/{id}/attachments/{number}" })
        {
            Assert.True(paths.TryGetProperty(path, out var item), path);
            Assert.All(item.EnumerateObject().Where(o => o.Name is "get" or "post"),
                operation => Assert.Contains("Incidents", operation.Value.GetProperty("tags").EnumerateArray().Select(t => t.GetString())));
        }
    }
}
