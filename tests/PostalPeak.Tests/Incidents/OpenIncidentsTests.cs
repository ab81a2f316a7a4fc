using System.Net;
using System.Text.Json;
using PostalPeak.Accounts;

namespace PostalPeak.Tests.Incidents;

/// <summary>Open incidents where people look first: the overview and the home page, each reader seeing only what it may.</summary>
public sealed class OpenIncidentsTests
{
    private static async Task<long> ReportAsync(HttpClient client, string type, string severity)
    {
        var response = await client.PostAsJsonAsync("/api/v1/incidents", new
        {
            type, severity, started_at = "2026-02-10T06:30:00+07:00", unit_codes = new[] { "380" },
            description = "Sự cố thử", contact = "Nguyễn Văn A, 0912 345 678",
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task TheOverviewAndTheHomePageListOpenIncidentsWorstFirstAndEachCarrierOnlyItsOwn()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("HOATOC");
        await app.AddCarrierAsync("LAMSON");
        await app.AddUserAsync("analyst", Roles.Analyst);
        await app.AddUserAsync("hoatoc", Roles.CarrierManager, "HOATOC");
        await app.AddUserAsync("lamson", Roles.CarrierManager, "LAMSON");
        using var analyst = await app.SignedInClientAsync("analyst", antiforgeryHeader: true);
        using var hoatoc = await app.SignedInClientAsync("hoatoc", antiforgeryHeader: true);
        using var lamson = await app.SignedInClientAsync("lamson", antiforgeryHeader: true);
        var flood = await ReportAsync(hoatoc, "weather", "warning");
        var goods = await ReportAsync(lamson, "prohibited_goods", "critical");
        var outage = await ReportAsync(hoatoc, "outage", "info");
        // Resolved: no longer in front of anyone.
        foreach (var state in new[] { "acknowledged", "handling", "resolved" })
            Assert.Equal(HttpStatusCode.OK, (await analyst.PostAsJsonAsync($"/api/v1/incidents/{outage}/state", new { state })).StatusCode);

        var overview = await analyst.GetStringAsync("/dashboard");
        var home = await analyst.GetStringAsync("/");
        var own = await hoatoc.GetStringAsync("/dashboard");
        var english = await analyst.GetStringAsync("/?culture=en-US");

        foreach (var page in new[] { overview, home })
        {
            Assert.Contains("data-test=\"open-incidents\"", page);
            Assert.True(page.IndexOf($"data-id=\"{goods}\"", StringComparison.Ordinal) < page.IndexOf($"data-id=\"{flood}\"", StringComparison.Ordinal),
                "the critical incident comes first");
            Assert.Contains($"data-id=\"{flood}\"", page);
            Assert.DoesNotContain($"data-id=\"{outage}\"", page);
            Assert.Contains("Phát hiện hàng cấm, hàng nguy hiểm", page, StringComparison.Ordinal);
        }
        Assert.Contains($"data-id=\"{flood}\"", own);
        Assert.DoesNotContain($"data-id=\"{goods}\"", own);
        Assert.Contains("Open incidents", english);
    }
}
