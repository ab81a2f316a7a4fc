using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Alerts;
using PostalPeak.Audit;
using PostalPeak.Tests.Indicators;

namespace PostalPeak.Tests.Alerts;

/// <summary>What the evaluator writes to the outbox: recent changes, once, to every recipient, unless silenced or acknowledged.</summary>
public sealed class AlertNotificationTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Notifications:Smtp:Host"] = "127.0.0.1",
        ["Notifications:Smtp:From"] = "canhbao@so-ttt.example",
        ["Notifications:DepartmentEmails:0"] = "truc-ban@so-ttt.example",
        ["Notifications:Webhooks:0:Name"] = "department",
        ["Notifications:Webhooks:0:Url"] = "http://127.0.0.1:9/hook",
        ["Notifications:Webhooks:0:Secret"] = "a-secret-of-enough-length",
    };

    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    private static async Task<TestApp> AppAsync()
    {
        var app = await TestApp.StartAsync(settings: Settings);
        await app.AddCarrierAsync("ALPHA");
        await using var connection = await app.Db.OpenConnectionAsync();
        await connection.ExecuteAsync("update carrier set contact_emails = '{dieu-hanh@alpha.example}'; update alert_rule set enabled = false");
        await app.Services.GetRequiredService<AlertRules>().SaveAsync(null, new AlertRule
        {
            Code = "lost_today", NameVi = "Thất lạc", NameEn = "Lost", Metric = "lost", Comparison = ">", Threshold = 5, Severity = "critical",
            Channels = ["email", "webhook"],
        }, Actor.CommandLine());
        return app;
    }

    private static async Task DayAsync(TestApp app, DateOnly day, long lost)
    {
        var csv = $"report_date,unit_code,received,delivered,lost\n{day:yyyy-MM-dd},14758,1000,900,{lost}\n";
        Assert.Equal("accepted", (await IndicatorTestData.IngestAsync(app, "ALPHA", csv, $"{day:yyyy-MM-dd}-{lost}.csv")).Status);
        await app.Services.GetRequiredService<AlertEvaluator>().EvaluateCarrierAsync(1, CancellationToken.None);
    }

    private static async Task<List<string>> MessagesAsync(TestApp app)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        return (await connection.QueryAsync<(string Kind, int Sequence, string Channel, string Recipient)>(
                "select kind, sequence, channel, recipient from notification order by id"))
            .Select(m => $"{m.Kind}/{m.Sequence} {m.Channel} {m.Recipient}").ToList();
    }

    [Fact]
    public async Task FiringAndResolvingEachWriteOneMessagePerRecipientAndEvaluatingAgainWritesNone()
    {
        await using var app = await AppAsync();

        await DayAsync(app, Today.AddDays(-2), lost: 9);
        await app.Services.GetRequiredService<AlertEvaluator>().EvaluateAllAsync(CancellationToken.None);
        var afterFiring = await MessagesAsync(app);
        await DayAsync(app, Today.AddDays(-1), lost: 0);
        await app.Services.GetRequiredService<AlertEvaluator>().EvaluateAllAsync(CancellationToken.None);

        Assert.Equal(["firing/0 email dieu-hanh@alpha.example", "firing/0 email truc-ban@so-ttt.example", "firing/0 webhook department"], afterFiring);
        Assert.Equal([.. afterFiring, "resolved/0 email dieu-hanh@alpha.example", "resolved/0 email truc-ban@so-ttt.example", "resolved/0 webhook department"],
            await MessagesAsync(app));
    }

    [Fact]
    public async Task ASilencedAlertStillFiresButSendsNothing()
    {
        await using var app = await AppAsync();
        await app.Services.GetRequiredService<AlertStore>().SilenceAsync(null, "ALPHA", null, DateTime.UtcNow.AddHours(2), "Đã biết, đang xử lý",
            Actor.CommandLine(), TimeProvider.System);

        await DayAsync(app, Today.AddDays(-1), lost: 9);

        Assert.Empty(await MessagesAsync(app));
        Assert.Single((await app.Services.GetRequiredService<AlertStore>().ListAsync(new AlertFilter("firing", null, null, null, null, null))));
    }

    [Fact]
    public async Task ACorrectionThatWithdrawsAnAnnouncedAlertAnnouncesItsEnd()
    {
        await using var app = await AppAsync();
        await DayAsync(app, Today.AddDays(-1), lost: 9);

        // The carrier meant 0.
        await DayAsync(app, Today.AddDays(-1), lost: 0);

        Assert.Equal(3, (await MessagesAsync(app)).Count(m => m.StartsWith("resolved/0 ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RemindersRepeatEveryFewHoursUntilSomeoneAcknowledges()
    {
        await using var app = await AppAsync();
        await DayAsync(app, Today.AddDays(-1), lost: 9);
        var reminders = app.Services.GetRequiredService<AlertReminderJob>();
        await using var connection = await app.Db.OpenConnectionAsync();

        var tooSoon = await reminders.RunAsync(CancellationToken.None);
        await connection.ExecuteAsync("update notification set created_at = now() - interval '7 hours'");
        var first = await reminders.RunAsync(CancellationToken.None);
        var again = await reminders.RunAsync(CancellationToken.None);
        var id = await connection.QuerySingleAsync<long>("select id from alert");
        await app.Services.GetRequiredService<AlertStore>().AcknowledgeAsync(id, "Đã nhận", Actor.CommandLine());
        await connection.ExecuteAsync("update notification set created_at = now() - interval '7 hours'");
        var afterAcknowledge = await reminders.RunAsync(CancellationToken.None);

        Assert.Equal((0, 3, 0, 0), (tooSoon, first, again, afterAcknowledge));
        Assert.Equal(3, (await MessagesAsync(app)).Count(m => m.StartsWith("reminder/1 ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AFiringHeldBackByASilenceIsAnnouncedOnceWhenTheSilenceEnds()
    {
        await using var app = await AppAsync();
        var store = app.Services.GetRequiredService<AlertStore>();
        await store.SilenceAsync(null, "ALPHA", null, DateTime.UtcNow.AddHours(2), "Đã biết, đang xử lý", Actor.CommandLine(), TimeProvider.System);
        await DayAsync(app, Today.AddDays(-1), lost: 9);
        var reminders = app.Services.GetRequiredService<AlertReminderJob>();

        var whileSilenced = await reminders.RunAsync(CancellationToken.None);
        await using var connection = await app.Db.OpenConnectionAsync();
        await connection.ExecuteAsync("update alert_silence set ends_at = now() - interval '1 minute'");
        var afterSilence = await reminders.RunAsync(CancellationToken.None);
        var again = await reminders.RunAsync(CancellationToken.None);

        Assert.Equal((0, 3, 0), (whileSilenced, afterSilence, again));
        Assert.Equal(["firing/0 email dieu-hanh@alpha.example", "firing/0 email truc-ban@so-ttt.example", "firing/0 webhook department"],
            await MessagesAsync(app));
    }

    [Fact]
    public async Task NoRemindersWhileTheRuleIsMutedTodayOrOnceTheConditionWasLastSeenDaysAgo()
    {
        await using var app = await AppAsync();
        await DayAsync(app, Today.AddDays(-1), lost: 9);
        var reminders = app.Services.GetRequiredService<AlertReminderJob>();
        await using var connection = await app.Db.OpenConnectionAsync();
        await connection.ExecuteAsync("update notification set created_at = now() - interval '7 hours'");
        var rules = app.Services.GetRequiredService<AlertRules>();
        var rule = (await rules.ListAsync(null)).Single(r => r.Code == "lost_today");
        // Today falls in the 2027 season's peak, and the rule is muted in the peak.
        await connection.ExecuteAsync("""
            update season_phase p set from_offset = (current_date - s.tet_date) - 1, to_offset = (current_date - s.tet_date) + 1
            from season s where s.year = p.season_year and s.year = 2027 and p.code = 'peak'
            """);
        await rules.SaveAsync(rule.Id, rule with { Phases = [new PhaseOverride("peak", true, null)] }, Actor.CommandLine());

        var whileMuted = await reminders.RunAsync(CancellationToken.None);
        await rules.SaveAsync(rule.Id, rule, Actor.CommandLine());
        await connection.ExecuteAsync("update alert set last_held_on = last_held_on - 4");
        var whenLastSeenLongAgo = await reminders.RunAsync(CancellationToken.None);
        await connection.ExecuteAsync("update alert set last_held_on = last_held_on + 4");
        var whenSeenRecently = await reminders.RunAsync(CancellationToken.None);

        Assert.Equal((0, 0, 3), (whileMuted, whenLastSeenLongAgo, whenSeenRecently));
    }

    [Fact]
    public async Task AWithdrawnAlertsEndIsToldWithTheDaysAndFiguresItHad()
    {
        await using var app = await AppAsync();
        await DayAsync(app, Today.AddDays(-2), lost: 9);

        await DayAsync(app, Today.AddDays(-2), lost: 0); // the carrier meant 0

        await using var connection = await app.Db.OpenConnectionAsync();
        var payload = await connection.QuerySingleAsync<string>("select payload::text from notification where kind = 'resolved' and channel = 'webhook'");
        using var json = System.Text.Json.JsonDocument.Parse(payload);
        var alert = json.RootElement.GetProperty("alert");
        Assert.Equal($"{Today.AddDays(-2):yyyy-MM-dd}", alert.GetProperty("started_on").GetString());
        Assert.Equal($"{Today.AddDays(-2):yyyy-MM-dd}", alert.GetProperty("firing_on").GetString());
        Assert.Equal(9, alert.GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task ACorrectedDayBetweenTwoAlertsJoinsThemWithoutAFalseEnd()
    {
        await using var app = await AppAsync();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeBySystemTimeZoneId(DateTime.UtcNow, "Asia/Ho_Chi_Minh"));
        await DayAsync(app, today.AddDays(-3), lost: 9);
        await DayAsync(app, today.AddDays(-2), lost: 0);
        await DayAsync(app, today.AddDays(-1), lost: 9);
        var before = await MessagesAsync(app);

        await DayAsync(app, today.AddDays(-2), lost: 7); // the carrier had typed 0

        Assert.Equal(9, before.Count); // first alert fired and resolved, second fired: three recipients each
        Assert.Equal(before, await MessagesAsync(app));
        await using var connection = await app.Db.OpenConnectionAsync();
        var alerts = (await connection.QueryAsync<(string State, DateTime StartedOn)>("select state, started_on from alert order by id")).ToList();
        Assert.Equal([("firing", today.AddDays(-3).ToDateTime(TimeOnly.MinValue)), ("resolved", today.AddDays(-1).ToDateTime(TimeOnly.MinValue))], alerts);
        Assert.StartsWith("Joined to the alert that began on", await connection.QuerySingleAsync<string>("select note from alert_event where kind = 'withdrawn'"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOldSeasonLoadedLateIsRecordedButAnnouncesNothing()
    {
        await using var app = await AppAsync();

        await DayAsync(app, new DateOnly(2025, 7, 10), lost: 9);

        Assert.Equal("firing", Assert.Single(await app.Services.GetRequiredService<AlertStore>().ListAsync(new AlertFilter(null, null, null, null, null, null))).State);
        Assert.Empty(await MessagesAsync(app));
    }
}
