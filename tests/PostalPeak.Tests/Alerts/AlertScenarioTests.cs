using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Accounts;
using PostalPeak.Alerts;
using PostalPeak.Audit;
using PostalPeak.Tests.Indicators;

namespace PostalPeak.Tests.Alerts;

/// <summary>
/// Multi-day series uploaded through the real ingestion path, day by day, with the evaluation after each
/// file as the job chain runs it. Season 2024: Tết is 10 February, the peak runs to 2 February and the
/// holiday from 10 to 14 February.
/// </summary>
public sealed class AlertScenarioTests
{
    private sealed record Row(string UnitCode, string State, DateOnly StartedOn, DateOnly? FiringOn, DateOnly? ResolvedOn);

    private static async Task<TestApp> AppWithOnlyRuleAsync(AlertRule rule)
    {
        var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await using (var connection = await app.Db.OpenConnectionAsync())
            await connection.ExecuteAsync("update alert_rule set enabled = false");
        await app.Services.GetRequiredService<AlertRules>().SaveAsync(null, rule, Actor.CommandLine());
        return app;
    }

    private static AlertRule Rule(string metric, string comparison, double threshold, int forDays = 1, int keep = 0, params PhaseOverride[] phases) => new()
    {
        Code = "test_rule", NameVi = "Quy tắc thử", NameEn = "Test rule", Metric = metric, Comparison = comparison, Threshold = threshold,
        ForDays = forDays, KeepFiringForDays = keep, Severity = "warning", Channels = ["email"], Phases = phases,
    };

    /// <summary>One day's file for unit 380, then the evaluation.</summary>
    private static async Task DayAsync(TestApp app, string day, long received, long delivered, long lost = 0)
    {
        var csv = $"report_date,unit_code,received,delivered,lost\n{day},380,{received},{delivered},{lost}\n";
        Assert.Equal("accepted", (await IndicatorTestData.IngestAsync(app, "ALPHA", csv, day + ".csv")).Status);
        await EvaluateAsync(app);
    }

    private static Task<AlertEvaluator.Result> EvaluateAsync(TestApp app) =>
        app.Services.GetRequiredService<AlertEvaluator>().EvaluateCarrierAsync(1, CancellationToken.None);

    private static async Task<List<Row>> AlertsAsync(TestApp app)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        return (await connection.QueryAsync<Row>("select unit_code, state, started_on, firing_on, resolved_on from alert order by id")).AsList();
    }

    private static async Task<List<string>> EventsAsync(TestApp app)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        return (await connection.QueryAsync<(string Kind, DateOnly? Day)>("select kind, report_date from alert_event order by id"))
            .Select(e => $"{e.Kind} {e.Day:MM-dd}").ToList();
    }

    private static DateOnly D(string day) => DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task AnAlertIsPendingThenFiresAfterForDaysThenResolvesWhenTheConditionStops()
    {
        await using var app = await AppWithOnlyRuleAsync(Rule("lost", ">", 5, forDays: 2));

        await DayAsync(app, "2024-01-20", 1000, 900, lost: 0);
        Assert.Empty(await AlertsAsync(app));
        await DayAsync(app, "2024-01-21", 1000, 900, lost: 9);
        Assert.Equal([new Row("380", "pending", D("2024-01-21"), null, null)], await AlertsAsync(app));
        await DayAsync(app, "2024-01-22", 1000, 900, lost: 8);
        Assert.Equal([new Row("380", "firing", D("2024-01-21"), D("2024-01-22"), null)], await AlertsAsync(app));
        await DayAsync(app, "2024-01-23", 1000, 900, lost: 1);

        Assert.Equal([new Row("380", "resolved", D("2024-01-21"), D("2024-01-22"), D("2024-01-23"))], await AlertsAsync(app));
        Assert.Equal(["pending 01-21", "firing 01-22", "resolved 01-23"], await EventsAsync(app));
    }

    [Fact]
    public async Task ASingleGoodDayInsideKeepFiringForDoesNotResolve()
    {
        await using var app = await AppWithOnlyRuleAsync(Rule("lost", ">", 5, forDays: 1, keep: 1));

        await DayAsync(app, "2024-01-20", 1000, 900, lost: 9);
        await DayAsync(app, "2024-01-21", 1000, 900, lost: 0);
        Assert.Equal("firing", Assert.Single(await AlertsAsync(app)).State);
        await DayAsync(app, "2024-01-22", 1000, 900, lost: 7);
        await DayAsync(app, "2024-01-23", 1000, 900, lost: 0);
        await DayAsync(app, "2024-01-24", 1000, 900, lost: 0);

        Assert.Equal([new Row("380", "resolved", D("2024-01-20"), D("2024-01-20"), D("2024-01-24"))], await AlertsAsync(app));
    }

    [Fact]
    public async Task AMutedHolidayRaisesNothingWhileTheSameFiguresInThePeakDo()
    {
        await using var app = await AppWithOnlyRuleAsync(Rule("throughput_ratio", "<", 0.8, phases: new PhaseOverride("holiday", true, null)));

        // Almost nothing delivered over Mùng 1 to Mùng 3: normal for the holiday.
        foreach (var day in new[] { "2024-02-10", "2024-02-11", "2024-02-12" })
            await DayAsync(app, day, 100, 10);
        Assert.Empty(await AlertsAsync(app));
        // The same figures in the peak.
        foreach (var day in new[] { "2024-01-20", "2024-01-21" })
            await DayAsync(app, day, 100, 10);

        Assert.Equal([new Row("380", "firing", D("2024-01-20"), D("2024-01-20"), null)], await AlertsAsync(app));
    }

    [Fact]
    public async Task AMissingReportFiresItsOwnAlertAndIsNeverReadAsZeros()
    {
        await using var app = await AppWithOnlyRuleAsync(Rule("missing_report", ">=", 1));
        await app.Services.GetRequiredService<AlertRules>().SaveAsync(null, Rule("throughput_ratio", "<", 0.8) with { Code = "throughput" }, Actor.CommandLine());

        // The carrier reports the 11th and the 13th of February, not the 12th.
        await DayAsync(app, "2024-02-11", 100, 95);
        await DayAsync(app, "2024-02-13", 100, 95);

        // The carrier-wide missing-report alert for the 12th, resolved by the 13th. The season's days after the last
        // report are long past: they count as missing only while recent (see the next test).
        Assert.Equal([new Row("", "resolved", D("2024-02-12"), D("2024-02-12"), D("2024-02-13"))], await AlertsAsync(app));
        // No throughput alert: the missing day is a gap, not a day of zero deliveries.
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(0, await connection.QuerySingleAsync<long>("select count(*) from alert a join alert_rule r on r.id = a.rule_id where r.code = 'throughput'"));
        Assert.Equal(0, await connection.QuerySingleAsync<long>("select count(*) from daily_indicator where report_date = '2024-02-12'"));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static AlertEvaluator EvaluatorAt(TestApp app, DateTimeOffset now)
    {
        var services = app.Services;
        var clock = new FixedClock(now);
        T Get<T>() where T : notnull => services.GetRequiredService<T>();
        return new AlertEvaluator(app.Db, new AlertNotifier(Get<Microsoft.Extensions.Options.IOptions<AlertsOptions>>(), Get<Microsoft.Extensions.Options.IOptions<PostalPeak.Jobs.JobsOptions>>(),
            Get<Microsoft.Extensions.Options.IOptions<NotificationOptions>>(), clock, Get<Hangfire.IBackgroundJobClient>()),
            clock, Get<Microsoft.Extensions.Options.IOptions<PostalPeak.Compliance.ComplianceOptions>>(), Get<Microsoft.Extensions.Options.IOptions<PostalPeak.Jobs.JobsOptions>>(),
            Get<Microsoft.Extensions.Options.IOptions<AlertsOptions>>(), Get<Microsoft.Extensions.Logging.ILogger<AlertEvaluator>>(), Get<PostalPeak.Duty.DutyRosters>());
    }

    [Fact]
    public async Task ACarrierThatStopsReportingHasOneMissingReportAlertFromTheDayAfterItsLastReportUntilItReportsAgain()
    {
        await using var app = await AppWithOnlyRuleAsync(Rule("missing_report", ">=", 1));
        var csv = "report_date,unit_code,received,delivered\n2026-02-14,14758,100,95\n2026-02-15,14758,100,95\n";
        Assert.Equal("accepted", (await IndicatorTestData.IngestAsync(app, "ALPHA", csv)).Status);

        // In the season, on 20 February at noon in Hà Nội: the 16th to the 19th are past their deadline (10:00 next day).
        await EvaluatorAt(app, new DateTimeOffset(2026, 2, 20, 5, 0, 0, TimeSpan.Zero)).EvaluateCarrierAsync(1, CancellationToken.None);
        var during = await AlertsAsync(app);
        // Ten days on, the silence began longer ago than the recent window (7 days): the alert carries on, from the same day.
        await EvaluatorAt(app, new DateTimeOffset(2026, 3, 2, 5, 0, 0, TimeSpan.Zero)).EvaluateCarrierAsync(1, CancellationToken.None);
        var stillSilent = await AlertsAsync(app);
        var lastHeld = await LastHeldAsync(app);
        Assert.Equal("accepted", (await IndicatorTestData.IngestAsync(app, "ALPHA", "report_date,unit_code,received,delivered\n2026-03-02,14758,100,95\n")).Status);
        await EvaluatorAt(app, new DateTimeOffset(2026, 3, 3, 5, 0, 0, TimeSpan.Zero)).EvaluateCarrierAsync(1, CancellationToken.None);

        Assert.Equal([new Row("", "firing", D("2026-02-16"), D("2026-02-16"), null)], during);
        Assert.Equal(during, stillSilent);
        Assert.Equal(D("2026-03-01"), lastHeld);
        Assert.Equal([new Row("", "resolved", D("2026-02-16"), D("2026-02-16"), D("2026-03-02"))], await AlertsAsync(app));
        Assert.Equal(["pending 02-16", "firing 02-16", "resolved 03-02"], await EventsAsync(app));
    }

    [Fact]
    public async Task ASeasonLoadedLongAfterwardsRaisesNoMissingReportForTheDaysAfterItsLastFile()
    {
        await using var app = await AppWithOnlyRuleAsync(Rule("missing_report", ">=", 1));
        var csv = "report_date,unit_code,received,delivered\n2026-02-14,14758,100,95\n2026-02-15,14758,100,95\n";
        Assert.Equal("accepted", (await IndicatorTestData.IngestAsync(app, "ALPHA", csv)).Status);

        // Months later, the files are a back-fill of an old season: the days after them are not recent.
        await EvaluatorAt(app, new DateTimeOffset(2026, 11, 29, 5, 0, 0, TimeSpan.Zero)).EvaluateCarrierAsync(1, CancellationToken.None);

        Assert.Empty(await AlertsAsync(app));
    }

    [Fact]
    public async Task ALateReportThatMovesAnAlertsFirstDayKeepsTheSameAlertAndItsAcknowledgement()
    {
        await using var app = await AppWithOnlyRuleAsync(Rule("lost", ">", 5, forDays: 2));
        await DayAsync(app, "2024-01-20", 1000, 900, lost: 9);
        await DayAsync(app, "2024-01-21", 1000, 900, lost: 9);
        await using var connection = await app.Db.OpenConnectionAsync();
        var id = await connection.QuerySingleAsync<long>("select id from alert");
        await app.Services.GetRequiredService<AlertStore>().AcknowledgeAsync(id, "Đang xử lý", Actor.CommandLine());

        // The file for the 19th comes last, and the trouble began that day.
        await DayAsync(app, "2024-01-19", 1000, 900, lost: 8);

        Assert.Equal([new Row("380", "firing", D("2024-01-19"), D("2024-01-20"), null)], await AlertsAsync(app));
        Assert.Equal(id, await connection.QuerySingleAsync<long>("select id from alert"));
        Assert.NotNull(await connection.QuerySingleAsync<DateTime?>("select acknowledged_at from alert"));
        Assert.Equal(["pending 01-20", "firing 01-21", "acknowledged ", "moved 01-19"], await EventsAsync(app));
    }

    [Fact]
    public async Task DisablingARuleEndsItsOpenAlertOnTheDayAfterItLastHeld()
    {
        await using var app = await AppWithOnlyRuleAsync(Rule("lost", ">", 5));
        await DayAsync(app, "2024-01-20", 1000, 900, lost: 9);
        var rules = app.Services.GetRequiredService<AlertRules>();
        var rule = (await rules.ListAsync(null)).Single(r => r.Code == "test_rule");

        await rules.SaveAsync(rule.Id, rule with { Enabled = false }, Actor.CommandLine());
        await EvaluateAsync(app);
        var afterDisabling = await AlertsAsync(app);
        await EvaluateAsync(app);

        Assert.Equal([new Row("380", "resolved", D("2024-01-20"), D("2024-01-20"), D("2024-01-21"))], afterDisabling);
        Assert.Equal(afterDisabling, await AlertsAsync(app));
        Assert.Equal(["pending 01-20", "firing 01-20", "withdrawn 01-21"], await EventsAsync(app));
    }

    [Fact]
    public async Task AfterAnUploadOnlyTheUnitsItWroteAreEvaluatedAndTheScheduledRunCoversTheRest()
    {
        await using var app = await AppWithOnlyRuleAsync(Rule("lost", ">", 5));
        // Both units lose parcels on the 20th, in two files; only the second file's evaluation runs.
        await IndicatorTestData.IngestAsync(app, "ALPHA", "report_date,unit_code,received,delivered,lost\n2024-01-20,381,1000,900,9\n", "381.csv");
        var second = await IndicatorTestData.IngestAsync(app, "ALPHA", "report_date,unit_code,received,delivered,lost\n2024-01-20,380,1000,900,9\n", "380.csv");
        var evaluator = app.Services.GetRequiredService<AlertEvaluator>();

        var afterUpload = await evaluator.EvaluateAfterUploadAsync(second.Id, CancellationToken.None);
        var onlyOwnUnit = await AlertsAsync(app);
        await evaluator.EvaluateAllAsync(CancellationToken.None);

        Assert.Equal(1, afterUpload!.Fired);
        Assert.Equal(["380"], onlyOwnUnit.Select(a => a.UnitCode));
        Assert.Equal(["380", "381"], (await AlertsAsync(app)).Select(a => a.UnitCode));
    }

    [Fact]
    public async Task AnAlertOnAUnitTheCarrierNoLongerReportsEndsTheDayAfterItsLastReportWithoutAMessage()
    {
        await using var app = await AppWithOnlyRuleAsync(Rule("lost", ">", 5));
        await DayAsync(app, "2024-01-20", 1000, 900, lost: 9);
        var laterDays = string.Concat(Enumerable.Range(21, 9).Select(day => $"2024-01-{day},381,1000,900,0\n"));

        Assert.Equal("accepted", (await IndicatorTestData.IngestAsync(app, "ALPHA", "report_date,unit_code,received,delivered,lost\n" + laterDays)).Status);
        await app.Services.GetRequiredService<AlertEvaluator>().EvaluateAllAsync(CancellationToken.None);

        Assert.Equal([new Row("380", "resolved", D("2024-01-20"), D("2024-01-20"), D("2024-01-21"))], await AlertsAsync(app));
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal("The unit is no longer in the carrier's reports.",
            await connection.QuerySingleAsync<string>("select note from alert_event where kind = 'resolved'"));
    }

    [Fact]
    public async Task ACorrectionThatShowsTheConditionPastItsEndReopensTheSameAlert()
    {
        await using var app = await AppWithOnlyRuleAsync(Rule("lost", ">", 5));
        await DayAsync(app, "2024-01-20", 1000, 900, lost: 9);
        await DayAsync(app, "2024-01-21", 1000, 900, lost: 0);
        var ended = await AlertsAsync(app);

        await DayAsync(app, "2024-01-21", 1000, 900, lost: 7); // the carrier had typed 0

        Assert.Equal([new Row("380", "resolved", D("2024-01-20"), D("2024-01-20"), D("2024-01-21"))], ended);
        Assert.Equal([new Row("380", "firing", D("2024-01-20"), D("2024-01-20"), null)], await AlertsAsync(app));
        Assert.Equal(["pending 01-20", "firing 01-20", "resolved 01-21", "reopened 01-21"], await EventsAsync(app));
    }

    private static async Task<DateOnly> LastHeldAsync(TestApp app)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        return DateOnly.FromDateTime(await connection.ExecuteScalarAsync<DateTime>("select last_held_on from alert"));
    }

    [Fact]
    public async Task EvaluatingTheSameDataAgainChangesNothing()
    {
        await using var app = await AppWithOnlyRuleAsync(Rule("lost", ">", 5, forDays: 2));
        await DayAsync(app, "2024-01-20", 1000, 900, lost: 9);
        await DayAsync(app, "2024-01-21", 1000, 900, lost: 9);
        await DayAsync(app, "2024-01-22", 1000, 900, lost: 0);
        await using var connection = await app.Db.OpenConnectionAsync();
        var before = await connection.QuerySingleAsync<(long Alerts, long Events, DateTime Updated)>("select count(*), (select count(*) from alert_event), max(updated_at) from alert");

        var again = await EvaluateAsync(app);
        var all = await app.Services.GetRequiredService<AlertEvaluator>().EvaluateAllAsync(CancellationToken.None);

        Assert.Equal((0, 0, 0, 0), (again.Opened, again.Fired, again.Resolved, again.Withdrawn));
        Assert.All(all, r => Assert.Equal(0, r.Opened + r.Fired + r.Resolved + r.Withdrawn));
        Assert.Equal(before, await connection.QuerySingleAsync<(long, long, DateTime)>("select count(*), (select count(*) from alert_event), max(updated_at) from alert"));
    }

    [Fact]
    public async Task ALateFileRaisesTheAlertStampedWithItsOwnReportDay()
    {
        await using var app = await AppWithOnlyRuleAsync(Rule("lost", ">", 5));
        await DayAsync(app, "2024-01-20", 1000, 900);
        await DayAsync(app, "2024-01-22", 1000, 900);

        await DayAsync(app, "2024-01-21", 1000, 900, lost: 12);

        Assert.Equal([new Row("380", "resolved", D("2024-01-21"), D("2024-01-21"), D("2024-01-22"))], await AlertsAsync(app));
    }

    [Fact]
    public async Task ACorrectionThatRemovesTheConditionWithdrawsTheOpenAlert()
    {
        await using var app = await AppWithOnlyRuleAsync(Rule("lost", ">", 5));
        await DayAsync(app, "2024-01-20", 1000, 900, lost: 50);
        Assert.Equal("firing", Assert.Single(await AlertsAsync(app)).State);

        // The carrier meant 5, not 50.
        await DayAsync(app, "2024-01-20", 1000, 900, lost: 5);

        Assert.Equal("resolved", Assert.Single(await AlertsAsync(app)).State);
        Assert.Equal(["pending 01-20", "firing 01-20", "withdrawn "], await EventsAsync(app));
    }

    [Fact]
    public async Task DepartmentStaffAcknowledgeAnOpenAlertAndCarriersSeeOnlyTheirOwn()
    {
        await using var app = await AppWithOnlyRuleAsync(Rule("lost", ">", 5));
        await app.AddCarrierAsync("BETA");
        await app.AddUserAsync("analyst", Roles.Analyst);
        await DayAsync(app, "2024-01-20", 1000, 900, lost: 9);
        using var analyst = await app.SignedInClientAsync("analyst", antiforgeryHeader: true);
        using var beta = app.Client(await app.CreateTokenAsync("BETA"));
        using var alpha = app.Client(await app.CreateTokenAsync("ALPHA"));
        var id = (await analyst.GetFromJsonAsync<JsonElement>("/api/v1/alerts?state=firing"))[0].GetProperty("id").GetInt64();

        var acknowledged = await analyst.PostAsJsonAsync($"/api/v1/alerts/{id}/acknowledge", new { note = "Đã gọi điện cho doanh nghiệp" });
        var byCarrier = await alpha.PostAsJsonAsync($"/api/v1/alerts/{id}/acknowledge", new { note = "x" });

        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        Assert.Equal("analyst", (await acknowledged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("acknowledged_by").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, byCarrier.StatusCode);
        Assert.Equal(0, (await beta.GetFromJsonAsync<JsonElement>("/api/v1/alerts")).GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await beta.GetAsync($"/api/v1/alerts/{id}")).StatusCode);
        var detail = await alpha.GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{id}");
        Assert.Equal(["pending", "firing", "acknowledged"], detail.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
        Assert.Equal(1, await app.CountAuditAsync("alert.acknowledge"));
    }

    [Fact]
    public async Task RuleChangesAreValidatedAuditedAndAdminOnly()
    {
        await using var app = await AppWithOnlyRuleAsync(Rule("lost", ">", 5));
        await app.AddUserAsync("admin", Roles.Admin);
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var admin = await app.SignedInClientAsync("admin", antiforgeryHeader: true);
        using var analyst = await app.SignedInClientAsync("analyst", antiforgeryHeader: true);
        var rules = await admin.GetFromJsonAsync<JsonElement>("/api/v1/alert-rules");
        var defaults = rules.EnumerateArray().Select(r => r.GetProperty("code").GetString()).ToList();
        var holiday = rules.EnumerateArray().Single(r => r.GetProperty("code").GetString() == "backlog_days_to_clear").GetProperty("phases");

        var bad = await admin.PostAsJsonAsync("/api/v1/alert-rules", new { code = "x_rule", name_vi = "x", name_en = "x", metric = "happiness", comparison = ">", threshold = 1, severity = "warning", channels = new[] { "email" } });
        var refused = await analyst.PostAsJsonAsync("/api/v1/alert-rules", new { code = "y_rule" });
        var created = await admin.PostAsJsonAsync("/api/v1/alert-rules", new
        {
            code = "beta_lost", name_vi = "Thất lạc", name_en = "Lost", metric = "lost", comparison = ">=", threshold = 1, carrier_code = "ALPHA",
            unit_codes = new[] { "380" }, for_days = 1, keep_firing_for_days = 0, severity = "critical", channels = new[] { "webhook" },
            phases = new[] { new { phase = "holiday", muted = true } },
        });

        foreach (var code in new[] { "backlog_days_to_clear", "throughput_low", "backlog_growth", "loss_rate", "lost_parcels", "complaints_rate", "open_complaints", "unaccounted_parcels", "missing_report" })
            Assert.Contains(code, defaults);
        Assert.Contains(holiday.EnumerateArray(), p => p.GetProperty("phase").GetString() == "holiday" && p.GetProperty("muted").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("invalid_metric", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var rule = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("ALPHA", "380"), (rule.GetProperty("carrier_code").GetString(), rule.GetProperty("unit_codes")[0].GetString()));
        Assert.Equal(2, await app.CountAuditAsync("alert_rule.create")); // the test's own rule and this one
    }
}
