using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PostalPeak.Accounts;
using PostalPeak.Alerts;
using PostalPeak.Audit;
using PostalPeak.Compliance;
using PostalPeak.Duty;
using PostalPeak.Jobs;

namespace PostalPeak.Tests.Duty;

/// <summary>
/// Rule duty_roster_missing over season 2027: Tết is 6 February, the run-up runs from 30 January to 5 February and the
/// holiday from 6 to 10 February. A day's roster is due at 17:00 Vietnam time (10:00 UTC) the day before.
/// </summary>
public sealed class DutyRosterRuleTests
{
    private const string Header = "Ngày,Ca,Lãnh đạo trực,Chức vụ,Số điện thoại lãnh đạo,Trực điều hành,Số điện thoại điều hành,Đường dây nóng\n";
    private static readonly DateOnly Uncovered = new(2027, 2, 8);

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Notifications:Smtp:Host"] = "127.0.0.1",
        ["Notifications:Smtp:From"] = "canhbao@so-ttt.example",
        ["Notifications:DepartmentEmails:0"] = "truc-ban@so-ttt.example",
    };

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>A wall-clock time in Hà Nội.</summary>
    private static DateTimeOffset Vietnam(int month, int day, int hour, int minute = 0) => new(2027, month, day, hour, minute, 0, TimeSpan.FromHours(7));

    private static async Task<TestApp> AppAsync()
    {
        var app = await TestApp.StartAsync(settings: Settings);
        await app.AddCarrierAsync("ALPHA", "Bưu chính Alpha");
        await using var connection = await app.Db.OpenConnectionAsync();
        await connection.ExecuteAsync("update carrier set contact_emails = '{dieu-hanh@alpha.example}'; update alert_rule set enabled = false where code <> 'duty_roster_missing'");
        return app;
    }

    private static AlertEvaluator EvaluatorAt(TestApp app, DateTimeOffset now)
    {
        var clock = new FixedClock(now);
        T Get<T>() where T : notnull => app.Services.GetRequiredService<T>();
        return new AlertEvaluator(app.Db, new AlertNotifier(Get<IOptions<AlertsOptions>>(), Get<IOptions<JobsOptions>>(), Get<IOptions<NotificationOptions>>(), clock,
                Get<IBackgroundJobClient>()),
            clock, Get<IOptions<ComplianceOptions>>(), Get<IOptions<JobsOptions>>(), Get<IOptions<AlertsOptions>>(), Get<ILogger<AlertEvaluator>>(), Get<DutyRosters>());
    }

    /// <summary>A whole-day roster for each day, through the same path as the page and the API.</summary>
    private static async Task<RosterSubmission> RosterAsync(TestApp app, string carrierCode, IEnumerable<DateOnly> days)
    {
        var csv = new StringBuilder(Header);
        foreach (var day in days)
            csv.Append(CultureInfo.InvariantCulture, $"{day:dd/MM/yyyy},,Nguyễn Văn An,Phó Giám đốc,0912 345 678,Trần Thị Bình,0987 654 321,1900 545481\n");
        var result = await app.Services.GetRequiredService<DutyRosters>().SubmitAsync(Encoding.UTF8.GetBytes(csv.ToString()), "lich-truc.csv", "api", carrierCode,
            Actor.CommandLine(), CancellationToken.None);
        Assert.Equal("accepted", result.Status);
        return result;
    }

    private static IEnumerable<DateOnly> Days(DateOnly from, DateOnly to)
    {
        for (var day = from; day <= to; day = day.AddDays(1))
            yield return day;
    }

    /// <summary>Every run-up and holiday day but <see cref="Uncovered"/>.</summary>
    private static IEnumerable<DateOnly> AllButUncovered => Days(new DateOnly(2027, 1, 30), new DateOnly(2027, 2, 10)).Where(d => d != Uncovered);

    private sealed record AlertRow(long Id, string State, DateOnly StartedOn, DateOnly? FiringOn, DateOnly? ResolvedOn, string UnitCode);

    private static async Task<List<AlertRow>> AlertsAsync(TestApp app, string carrierCode = "ALPHA")
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        return (await connection.QueryAsync<AlertRow>("""
            select a.id, a.state, a.started_on, a.firing_on, a.resolved_on, a.unit_code
            from alert a join alert_rule r on r.id = a.rule_id join carrier c on c.id = a.carrier_id
            where r.code = 'duty_roster_missing' and c.code = @carrierCode order by a.id
            """, new { carrierCode })).AsList();
    }

    private static async Task<int> CarrierIdAsync(TestApp app, string code)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        return await connection.QuerySingleAsync<int>("select id from carrier where code = @code", new { code });
    }

    [Fact]
    public async Task AnUncoveredHolidayDayRaisesTheAlertFrom1700TheDayBeforeAndNotBeforeAndTheCoveredDaysNone()
    {
        await using var app = await AppAsync();
        await RosterAsync(app, "ALPHA", AllButUncovered);
        var alpha = await CarrierIdAsync(app, "ALPHA");

        await EvaluatorAt(app, Vietnam(2, 7, 16, 59)).EvaluateCarrierAsync(alpha, CancellationToken.None);
        var before = await AlertsAsync(app);
        await EvaluatorAt(app, Vietnam(2, 7, 17, 0)).EvaluateCarrierAsync(alpha, CancellationToken.None);

        Assert.Empty(before);
        var alert = Assert.Single(await AlertsAsync(app));
        // The whole carrier, from the uncovered day only: every run-up and holiday day before it has its roster.
        Assert.Equal(("firing", Uncovered, (DateOnly?)Uncovered, (DateOnly?)null, ""), (alert.State, alert.StartedOn, alert.FiringOn, alert.ResolvedOn, alert.UnitCode));
        // Its page lists the days as the rule read them, in words.
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var analyst = await app.SignedInClientAsync("analyst");
        var page = System.Net.WebUtility.HtmlDecode(await analyst.GetStringAsync($"/alerts/{alert.Id}?culture=en-US"));
        var days = page[page.IndexOf("data-test=\"alert-roster-days\"", StringComparison.Ordinal)..];
        Assert.Contains("<tr data-roster=\"missing\"><td>08/02/2027</td>", days, StringComparison.Ordinal);
        Assert.Contains("<tr data-roster=\"covered\"><td>07/02/2027</td>", days, StringComparison.Ordinal);
        Assert.Contains("No duty roster", days, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAlertReachesTheCarrierAndTheDepartmentOnceNamingTheCarrierAndTheDayInBothLanguages()
    {
        await using var app = await AppAsync();
        await RosterAsync(app, "ALPHA", AllButUncovered);
        var alpha = await CarrierIdAsync(app, "ALPHA");

        await EvaluatorAt(app, Vietnam(2, 7, 17, 5)).EvaluateCarrierAsync(alpha, CancellationToken.None);
        // The scheduled run and a run after a rule change, the same evening: nothing new.
        await EvaluatorAt(app, Vietnam(2, 7, 17, 5)).EvaluateAllAsync(CancellationToken.None);
        await EvaluatorAt(app, Vietnam(2, 7, 21, 0)).EvaluateAllAsync(CancellationToken.None);

        var alert = Assert.Single(await AlertsAsync(app));
        await using var connection = await app.Db.OpenConnectionAsync();
        var messages = (await connection.QueryAsync<(string Kind, string Recipient, string Subject, string Body)>(
            "select kind, recipient, subject, body from notification where alert_id = @Id and channel = 'email' order by recipient", new { alert.Id })).AsList();
        Assert.Equal([("firing", "dieu-hanh@alpha.example"), ("firing", "truc-ban@so-ttt.example")], messages.Select(m => (m.Kind, m.Recipient)));
        Assert.All(messages, m =>
        {
            Assert.Contains("08/02/2027", m.Subject, StringComparison.Ordinal);
            Assert.Contains("Chưa có lịch trực ngày 08/02/2027 của Bưu chính Alpha.", m.Body, StringComparison.Ordinal);
            Assert.Contains("No duty roster for 08/02/2027 from Bưu chính Alpha.", m.Body, StringComparison.Ordinal);
        });
        Assert.Equal(1, await connection.QuerySingleAsync<int>("select count(*)::int from alert_event where alert_id = @Id and kind = 'firing'", new { alert.Id }));
    }

    [Fact]
    public async Task ARosterSubmittedForTheDayResolvesTheAlertWhichNeverFiresAgainForThatDay()
    {
        await using var app = await AppAsync();
        await RosterAsync(app, "ALPHA", AllButUncovered);
        var alpha = await CarrierIdAsync(app, "ALPHA");
        await EvaluatorAt(app, Vietnam(2, 7, 17, 5)).EvaluateCarrierAsync(alpha, CancellationToken.None);
        var firing = Assert.Single(await AlertsAsync(app));

        var late = await RosterAsync(app, "ALPHA", [Uncovered]);
        // The submission queued the carrier's evaluation; here it runs on the test's clock.
        var storage = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        Assert.Contains(storage.Queues().SelectMany(q => storage.EnqueuedJobs(q.Name, 0, 100)),
            j => j.Value.Job.Method.Name == nameof(AlertEvaluator.EvaluateAfterRosterAsync) && (long)j.Value.Job.Args[0] == late.UploadId);
        await EvaluatorAt(app, Vietnam(2, 7, 20, 0)).EvaluateAfterRosterAsync(late.UploadId, CancellationToken.None);
        var resolved = Assert.Single(await AlertsAsync(app));
        await EvaluatorAt(app, Vietnam(2, 8, 17, 5)).EvaluateAllAsync(CancellationToken.None);
        await EvaluatorAt(app, Vietnam(2, 9, 17, 5)).EvaluateAllAsync(CancellationToken.None);

        Assert.Equal((firing.Id, "resolved"), (resolved.Id, resolved.State));
        Assert.Equal([resolved], await AlertsAsync(app));
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(1, await connection.QuerySingleAsync<int>("select count(*)::int from alert_event where kind = 'firing'"));
        // Those who heard of it hear that it ended.
        Assert.Equal(2, await connection.QuerySingleAsync<int>("select count(*)::int from notification where alert_id = @Id and kind = 'resolved'", new { firing.Id }));
    }

    [Fact]
    public async Task ACoveredCarrierAndAnInactiveOneGetNoRosterAlert()
    {
        await using var app = await AppAsync();
        await app.AddCarrierAsync("BETA");
        await app.AddCarrierAsync("GAMMA");
        await RosterAsync(app, "BETA", Days(new DateOnly(2027, 1, 30), new DateOnly(2027, 2, 10)));
        await using (var connection = await app.Db.OpenConnectionAsync())
            await connection.ExecuteAsync("update carrier set active = false where code = 'GAMMA'");

        // The holiday's last day is past its deadline: ALPHA, with no roster at all, has one alert from the first run-up day.
        await EvaluatorAt(app, Vietnam(2, 10, 18, 0)).EvaluateAllAsync(CancellationToken.None);
        await EvaluatorAt(app, Vietnam(2, 10, 18, 0)).EvaluateCarrierAsync(await CarrierIdAsync(app, "GAMMA"), CancellationToken.None);

        Assert.Equal(new DateOnly(2027, 1, 30), Assert.Single(await AlertsAsync(app, "ALPHA")).StartedOn);
        Assert.Empty(await AlertsAsync(app, "BETA"));
        Assert.Empty(await AlertsAsync(app, "GAMMA"));
    }

    [Fact]
    public async Task TheRosterDeadlineEvaluationIsScheduledAt1705VietnamTime()
    {
        await using var app = await TestApp.StartAsync();

        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == RecurringJobs.RosterDeadlineJobId);

        Assert.Equal(("5 17 * * *", "Asia/Ho_Chi_Minh"), (job.Cron, job.TimeZoneId));
        Assert.Equal(nameof(AlertEvaluator.EvaluateAllAsync), job.Job.Method.Name);
    }

    /// <summary>
    /// The views read the real clock, so season 2027 is moved to have Tết ten days from today and a run-up of thirty days
    /// before it: the days before today are past their deadline, and the next ones coming due.
    /// </summary>
    private static async Task<(TestApp App, DateOnly Missing, DateOnly Covered, DateOnly Due)> SeasonAroundTodayAsync()
    {
        var app = await AppAsync();
        await app.AddCarrierAsync("BETA");
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime);
        await using (var connection = await app.Db.OpenConnectionAsync())
            await connection.ExecuteAsync("""
                update season set tet_date = @tet, from_offset = -30 where year = 2027;
                delete from season_phase where season_year = 2027 and code not in ('run_up', 'holiday');
                update season_phase set from_offset = -30, to_offset = -1 where season_year = 2027 and code = 'run_up';
                """, new { tet = today.AddDays(10) });
        var missing = today.AddDays(-5);
        var covered = today.AddDays(-4);
        await RosterAsync(app, "ALPHA", [covered]);
        return (app, missing, covered, today.AddDays(2));
    }

    [Fact]
    public async Task TheComplianceAnswerListsEachCarriersMissingRosterDaysAndTheOnesComingDueOnlyToThoseWhoMaySeeThem()
    {
        var (app, missing, covered, due) = await SeasonAroundTodayAsync();
        await using var running = app;
        using var alpha = app.Client(await app.CreateTokenAsync("ALPHA"));

        var answer = JsonDocument.Parse(await alpha.GetStringAsync("/api/v1/compliance?season=2027")).RootElement;

        var roster = Assert.Single(answer.GetProperty("rosters").EnumerateArray());
        Assert.Equal(("ALPHA", "Bưu chính Alpha"), (roster.GetProperty("carrier_code").GetString(), roster.GetProperty("carrier_name").GetString()));
        var missingDays = roster.GetProperty("missing_days").EnumerateArray().Select(d => DateOnly.Parse(d.GetString()!, CultureInfo.InvariantCulture)).ToList();
        Assert.Contains(missing, missingDays);
        Assert.DoesNotContain(covered, missingDays);
        Assert.Equal(missingDays.Count, roster.GetProperty("missing").GetInt32());
        Assert.Equal(roster.GetProperty("required").GetInt32() - 1, roster.GetProperty("missing").GetInt32());
        Assert.Contains(due, roster.GetProperty("due_days").EnumerateArray().Select(d => DateOnly.Parse(d.GetString()!, CultureInfo.InvariantCulture)));
        // Another carrier's roster is not this carrier's business.
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await alpha.GetAsync("/api/v1/compliance?season=2027&carrier=BETA")).StatusCode);
    }

    [Theory]
    [InlineData("vi-VN", "Thiếu lịch trực", "Sắp đến hạn")]
    [InlineData("en-US", "No duty roster", "Due soon")]
    public async Task TheOverviewAndTheRosterPageSayInWordsWhichDaysHaveNoRoster(string culture, string missingWords, string dueWords)
    {
        var (app, missing, covered, _) = await SeasonAroundTodayAsync();
        await using var running = app;
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var analyst = await app.SignedInClientAsync("analyst");

        var overview = System.Net.WebUtility.HtmlDecode(await analyst.GetStringAsync($"/dashboard?season=2027&culture={culture}"));
        var roster = System.Net.WebUtility.HtmlDecode(await analyst.GetStringAsync($"/duty/roster?season=2027&culture={culture}"));

        var alphaRow = Row(overview, "<tr data-reporting=\"ALPHA\">");
        Assert.Contains(missingWords, alphaRow, StringComparison.Ordinal);
        Assert.Contains(missing.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture), alphaRow, StringComparison.Ordinal);
        Assert.DoesNotContain(covered.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture), alphaRow, StringComparison.Ordinal);
        Assert.Contains(dueWords, alphaRow, StringComparison.Ordinal);
        Assert.Contains("<tr data-reporting=\"BETA\">", overview, StringComparison.Ordinal);
        // In the days × carriers table, the uncovered day's cell says so; the covered day's shows its leader.
        var dayFormat = culture == "vi-VN" ? "dd/MM/yyyy" : "yyyy-MM-dd";
        var missingCell = Cell(roster, missing.ToString(dayFormat, CultureInfo.InvariantCulture), 0);
        Assert.Contains("data-status=\"missing\"", missingCell, StringComparison.Ordinal);
        Assert.Contains(missingWords, missingCell, StringComparison.Ordinal);
        var coveredCell = Cell(roster, covered.ToString(dayFormat, CultureInfo.InvariantCulture), 0);
        Assert.Contains("Nguyễn Văn An", coveredCell, StringComparison.Ordinal);
        Assert.DoesNotContain(missingWords, coveredCell, StringComparison.Ordinal);
    }

    private static string Row(string html, string start)
    {
        var at = html.IndexOf(start, StringComparison.Ordinal);
        Assert.True(at >= 0, start);
        return html[at..html.IndexOf("</tr>", at, StringComparison.Ordinal)];
    }

    /// <summary>The cell of one day's row for the n-th carrier column.</summary>
    private static string Cell(string html, string day, int column)
    {
        var row = Row(html, $"<th scope=\"row\">{day}</th>");
        var cells = row.Split("<td", StringSplitOptions.None);
        return cells[column + 1];
    }
}
