using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PostalPeak.Accounts;

namespace PostalPeak.Tests.Shell;

/// <summary>An API call that changes something on a person's cookie must carry the page's anti-forgery token; a machine's bearer token needs none.</summary>
public sealed class ApiAntiforgeryTests
{
    [Fact]
    public async Task ACookieCallerNeedsTheTokenToChangeAnythingAndIsToldWhoMayNotActFirst()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddUserAsync("admin", Roles.Admin);
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var bare = await app.SignedInClientAsync("admin");
        using var withToken = await app.SignedInClientAsync("admin", antiforgeryHeader: true);
        using var analyst = await app.SignedInClientAsync("analyst");
        using var machine = app.Client(await app.CreateTokenAsync("ALPHA"));
        using var anonymous = app.Client();

        var refused = await bare.PostAsJsonAsync("/api/v1/carriers", new { code = "BETA", name = "Beta" });
        var created = await withToken.PostAsJsonAsync("/api/v1/carriers", new { code = "BETA", name = "Beta" });
        var notAllowed = await analyst.PostAsJsonAsync("/api/v1/carriers", new { code = "GAMMA", name = "Gamma" });
        var unsigned = await anonymous.PostAsJsonAsync("/api/v1/carriers", new { code = "GAMMA", name = "Gamma" });
        using var upload = new StringContent("report_date,unit_code,received,delivered\n2026-02-01,14758,10,10\n", System.Text.Encoding.UTF8, "text/csv");
        var machineUpload = await machine.PostAsync("/api/v1/uploads", upload);
        var reading = await bare.GetAsync("/api/v1/carriers");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("antiforgery", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notAllowed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, machineUpload.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reading.StatusCode);
        Assert.Equal(2, await app.CountAuditAsync("carrier.add")); // ALPHA by the set-up, and BETA once
    }
}
