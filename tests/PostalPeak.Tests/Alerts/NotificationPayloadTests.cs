using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PostalPeak.Alerts;
using PostalPeak.Compliance;
using PostalPeak.Jobs;
using PostalPeak.Tests.Indicators;

namespace PostalPeak.Tests.Alerts;

/// <summary>The webhook payload as the evaluator writes it, field by field as docs/notifications.md describes it.</summary>
public sealed class NotificationPayloadTests
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public async Task AMissingReportIsSentWithValueOneAgainstItsThresholdAndNoUnit()
    {
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Notifications:Webhooks:0:Name"] = "department",
            ["Notifications:Webhooks:0:Url"] = "http://127.0.0.1:9/hook",
            ["Notifications:Webhooks:0:Secret"] = "a-secret-of-enough-length",
        });
        await app.AddCarrierAsync("ALPHA");
        await using var connection = await app.Db.OpenConnectionAsync();
        await connection.ExecuteAsync("update alert_rule set enabled = false where code <> 'missing_report'");
        var csv = "report_date,unit_code,received,delivered\n2026-02-14,14758,100,95\n2026-02-15,14758,100,95\n2026-02-17,14758,100,95\n";
        Assert.Equal("accepted", (await IndicatorTestData.IngestAsync(app, "ALPHA", csv)).Status);
        // In the season: the 16th is missing, the 17th reported, the 18th missing again (past its deadline at 10:00 on the 19th).
        var clock = new FixedClock(new DateTimeOffset(2026, 2, 19, 5, 0, 0, TimeSpan.Zero));
        T Get<T>() where T : notnull => app.Services.GetRequiredService<T>();
        var evaluator = new AlertEvaluator(app.Db, new AlertNotifier(Get<IOptions<AlertsOptions>>(), Get<IOptions<JobsOptions>>(), Get<IOptions<NotificationOptions>>(), clock, Get<Hangfire.IBackgroundJobClient>()),
            clock, Get<IOptions<ComplianceOptions>>(), Get<IOptions<JobsOptions>>(), Get<IOptions<AlertsOptions>>(), Get<ILogger<AlertEvaluator>>(), Get<PostalPeak.Duty.DutyRosters>());

        await evaluator.EvaluateCarrierAsync(1, CancellationToken.None);

        var payloads = (await connection.QueryAsync<string>("select body from notification where channel = 'webhook' order by id")).ToList();
        Assert.Equal(3, payloads.Count);
        var firing = JsonDocument.Parse(payloads[0]).RootElement;
        var resolved = JsonDocument.Parse(payloads[1]).RootElement.GetProperty("alert");
        Assert.Equal(("firing", 0), (firing.GetProperty("event").GetString(), firing.GetProperty("sequence").GetInt32()));
        var alert = firing.GetProperty("alert");
        Assert.Equal(["id", "rule_code", "rule_name_vi", "rule_name_en", "severity", "metric", "comparison", "threshold", "value", "carrier_code",
            "carrier_name", "unit_code", "unit_name", "started_on", "firing_on", "resolved_on"], alert.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("missing_report", "missing_report", ">=", 1.0, 1.0), (alert.GetProperty("rule_code").GetString(), alert.GetProperty("metric").GetString(),
            alert.GetProperty("comparison").GetString(), alert.GetProperty("threshold").GetDouble(), alert.GetProperty("value").GetDouble()));
        Assert.Equal(("", JsonValueKind.Null), (alert.GetProperty("unit_code").GetString(), alert.GetProperty("unit_name").ValueKind));
        // One evaluation saw the whole episode, so even its firing message knows the end.
        Assert.Equal(("2026-02-16", "2026-02-16", "2026-02-17"), (alert.GetProperty("started_on").GetString(), alert.GetProperty("firing_on").GetString(),
            alert.GetProperty("resolved_on").GetString()));
        // The end keeps the value of the last day that held: still a missing day, so 1.
        Assert.Equal(("resolved", 1.0, "2026-02-17"), (JsonDocument.Parse(payloads[1]).RootElement.GetProperty("event").GetString(),
            resolved.GetProperty("value").GetDouble(), resolved.GetProperty("resolved_on").GetString()));
    }
}
