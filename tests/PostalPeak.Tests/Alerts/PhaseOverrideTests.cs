using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Accounts;
using PostalPeak.Alerts;

namespace PostalPeak.Tests.Alerts;

/// <summary>A phase override must name a phase some season has: otherwise it would match no day and change nothing.</summary>
public sealed class PhaseOverrideTests
{
    private static readonly JsonSerializerOptions SnakeCase = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static async Task<TestApp> AppAsync()
    {
        var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", Roles.Admin);
        return app;
    }

    [Fact]
    public async Task TheApiRefusesAnOverrideOfAPhaseNoSeasonHasAndNamesTheKnownOnes()
    {
        await using var app = await AppAsync();
        using var admin = await app.SignedInClientAsync("admin", antiforgeryHeader: true);
        var rule = (await app.Services.GetRequiredService<AlertRules>().ListAsync(null)).Single(r => r.Code == "throughput_low");

        var created = await admin.PostAsJsonAsync("/api/v1/alert-rules", new
        {
            code = "lost_any", name_vi = "Thất lạc", name_en = "Lost", metric = "lost", comparison = ">", threshold = 0, severity = "warning",
            channels = new[] { "email" }, phases = new[] { new { phase = "tet_holliday", muted = true } },
        });
        var updated = await admin.PutAsJsonAsync($"/api/v1/alert-rules/{rule.Id}", rule with
        {
            Phases = [.. rule.Phases, new PhaseOverride("recovry", false, 0.5)],
        }, SnakeCase);

        Assert.Equal(HttpStatusCode.BadRequest, created.StatusCode);
        var problem = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("unknown_phase", problem.GetProperty("code").GetString());
        Assert.Equal("No season has a phase 'tet_holliday'. The phases there are: holiday, peak, recovery, run_up.", problem.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, updated.StatusCode);
        Assert.Equal("unknown_phase", (await updated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.DoesNotContain(await app.Services.GetRequiredService<AlertRules>().ListAsync(null), r => r.Code == "lost_any");
        Assert.Equal(rule.Phases, (await app.Services.GetRequiredService<AlertRules>().GetAsync(rule.Id, null)).Phases);
        Assert.Equal(0, await app.CountAuditAsync("alert_rule.create") + await app.CountAuditAsync("alert_rule.update"));
    }

    [Fact]
    public async Task ThePageRefusesAnOverrideOfAPhaseNoSeasonHasInTheReadersLanguage()
    {
        await using var app = await AppAsync();
        using var admin = await app.SignedInClientAsync("admin");
        var rule = (await app.Services.GetRequiredService<AlertRules>().ListAsync(null)).Single(r => r.Code == "throughput_low");

        Task<HttpResponseMessage> SaveAsync(string culture) => PageForms.PostAsync(admin, $"/alerts/rules?culture={culture}", new Dictionary<string, string>
        {
            ["Form.Id"] = rule.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Form.Code"] = rule.Code,
            ["Form.NameVi"] = rule.NameVi, ["Form.NameEn"] = rule.NameEn, ["Form.Metric"] = rule.Metric, ["Form.Comparison"] = rule.Comparison,
            ["Form.Threshold"] = "0.7", ["Form.ForDays"] = "3", ["Form.Severity"] = "warning", ["Form.Email"] = "true", ["Form.Enabled"] = "true",
            ["Form.Phases"] = "holiday=muted; tet_holliday=muted",
        });

        var vietnamese = await SaveAsync("vi-VN");
        var english = await SaveAsync("en-US");

        Assert.Equal(HttpStatusCode.BadRequest, vietnamese.StatusCode);
        Assert.Contains("Không mùa nào có giai đoạn &#x27;tet_holliday&#x27;. Các giai đoạn hiện có: holiday, peak, recovery, run_up.",
            await vietnamese.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, english.StatusCode);
        Assert.Contains("No season has a phase &#x27;tet_holliday&#x27;. The phases there are: holiday, peak, recovery, run_up.",
            await english.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(rule.Phases, (await app.Services.GetRequiredService<AlertRules>().GetAsync(rule.Id, null)).Phases);
    }
}
