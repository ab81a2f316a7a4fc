using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Accounts;
using PostalPeak.Alerts;
using PostalPeak.Audit;

namespace PostalPeak.Tests.Alerts;

/// <summary>A carrier's own rules, and the department's reasons for them, are nobody else's business.</summary>
public sealed class AlertRuleVisibilityTests
{
    private const string Secret = "LAMSON is under review after the Hai Phong contract";

    private static async Task<(TestApp App, int LamsonRule, int HoatocRule)> AppWithCarrierRulesAsync()
    {
        var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("HOATOC");
        await app.AddCarrierAsync("LAMSON");
        await app.AddUserAsync("hoatoc.manager", Roles.CarrierManager, "HOATOC");
        await app.AddUserAsync("analyst", Roles.Analyst);
        var rules = app.Services.GetRequiredService<AlertRules>();
        var lamson = await rules.SaveAsync(null, new AlertRule
        {
            Code = "lamson_watch", NameVi = "Theo dõi Lâm Sơn", NameEn = "Lam Son watch", Metric = "lost", Comparison = ">", Threshold = 0,
            CarrierCode = "LAMSON", Reason = Secret,
        }, Actor.CommandLine());
        var hoatoc = await rules.SaveAsync(null, new AlertRule
        {
            Code = "hoatoc_watch", NameVi = "Theo dõi Hỏa Tốc", NameEn = "Hoa Toc watch", Metric = "lost", Comparison = ">", Threshold = 0,
            CarrierCode = "HOATOC", Reason = "HOATOC's own reason",
        }, Actor.CommandLine());
        return (app, lamson.Id, hoatoc.Id);
    }

    [Fact]
    public async Task ACarrierTokenOrManagerSeesTheGeneralRulesAndItsOwnButNotAnotherCarriers()
    {
        var (app, _, _) = await AppWithCarrierRulesAsync();
        await using var _app = app;
        using var token = app.Client(await app.CreateTokenAsync("HOATOC"));
        using var manager = await app.SignedInClientAsync("hoatoc.manager");
        using var analyst = await app.SignedInClientAsync("analyst");

        foreach (var client in new[] { token, manager })
        {
            var codes = (await client.GetFromJsonAsync<JsonElement>("/api/v1/alert-rules")).EnumerateArray().Select(r => r.GetProperty("code").GetString()).ToList();
            Assert.Contains("hoatoc_watch", codes);
            Assert.Contains("lost_parcels", codes); // a general rule everyone is held to
            Assert.DoesNotContain("lamson_watch", codes);
        }
        var rulesPage = await manager.GetStringAsync("/alerts/rules");
        var alertsPage = await manager.GetStringAsync("/alerts");
        Assert.Contains("hoatoc_watch", rulesPage, StringComparison.Ordinal);
        Assert.DoesNotContain("lamson_watch", rulesPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Hai Phong", rulesPage, StringComparison.Ordinal);
        Assert.DoesNotContain("lamson_watch", alertsPage, StringComparison.Ordinal);
        // Department staff see every rule.
        var all = (await analyst.GetFromJsonAsync<JsonElement>("/api/v1/alert-rules")).EnumerateArray().Select(r => r.GetProperty("code").GetString()).ToList();
        Assert.Contains("lamson_watch", all);
        Assert.Contains("lamson_watch", await analyst.GetStringAsync("/alerts/rules"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherCarriersRuleByIdAnswersExactlyAsAMissingOne()
    {
        var (app, lamsonRule, hoatocRule) = await AppWithCarrierRulesAsync();
        await using var _app = app;
        using var token = app.Client(await app.CreateTokenAsync("HOATOC"));
        const int missing = 999_999;

        var hidden = await token.GetAsync($"/api/v1/alert-rules/{lamsonRule}");
        var absent = await token.GetAsync($"/api/v1/alert-rules/{missing}");
        var own = await token.GetAsync($"/api/v1/alert-rules/{hoatocRule}");

        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var hiddenBody = await hidden.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Hai Phong", hiddenBody, StringComparison.Ordinal);
        Assert.Equal(Comparable(await absent.Content.ReadAsStringAsync(), missing), Comparable(hiddenBody, lamsonRule));
        Assert.Equal(absent.Content.Headers.ContentType, hidden.Content.Headers.ContentType);
    }

    /// <summary>The problem without what differs between any two requests: the trace id and the id asked for.</summary>
    private static string Comparable(string body, int id)
    {
        var problem = JsonNode.Parse(body)!.AsObject();
        problem.Remove("trace_id");
        return problem.ToJsonString().Replace(id.ToString(System.Globalization.CultureInfo.InvariantCulture), "{id}", StringComparison.Ordinal);
    }
}
