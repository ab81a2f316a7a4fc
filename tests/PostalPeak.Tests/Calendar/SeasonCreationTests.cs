using System.Text.Json;
using Dapper;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PostalPeak.Accounts;
using PostalPeak.Audit;
using PostalPeak.Calendar;
using PostalPeak.Jobs;
using PostalPeak.Tests.Indicators;

namespace PostalPeak.Tests.Calendar;

/// <summary>Seasons appear for every year with reports and for the coming year, and never overwrite an administrator's edit.</summary>
public sealed class SeasonCreationTests
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static ComingSeasonJob JobAt(TestApp app, DateTimeOffset now) =>
        new(app.Db, new FixedClock(now), app.Services.GetRequiredService<IOptions<JobsOptions>>(),
            app.Services.GetRequiredService<ILogger<ComingSeasonJob>>());

    /// <summary>
    /// The reference data models districts from 2021 only; an older validity of Thanh Hóa city lets a 2019 file through,
    /// as a department's own older unit list would.
    /// </summary>
    private static async Task AddUnitBefore2021Async(TestApp app)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            insert into admin_unit (code, name, level, province_code, valid_from, valid_to)
            values ('380', 'Thành phố Thanh Hóa', 'district', '38', '2015-01-01', '2020-12-31')
            """);
    }

    private static async Task<List<int>> SeasonYearsAsync(TestApp app)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        return (await connection.QueryAsync<int>("select year from season order by year")).AsList();
    }

    [Fact]
    public async Task AReportFor2019GetsThe2019SeasonWithItsPhasesAndTetOffsetsAndALateDecemberDayTheNextSeason()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddUserAsync("analyst", Roles.Analyst);
        await AddUnitBefore2021Async(app);
        Assert.DoesNotContain(2019, await SeasonYearsAsync(app));

        // Tết 2019 fell on 5 February, Tết 2020 on 25 January: 28 December 2019 is T-28 of the 2020 season.
        var upload = await IndicatorTestData.IngestAsync(app, "ALPHA",
            "report_date,unit_code,received,delivered,backlog\n2019-02-01,380,100,90,10\n2019-02-06,380,100,90,20\n2019-12-28,380,100,90,10\n");
        using var client = await app.SignedInClientAsync("analyst");
        var season = await client.GetFromJsonAsync<JsonElement>("/api/v1/seasons/2019");
        var days = await client.GetFromJsonAsync<JsonElement>("/api/v1/indicators?season=2019&season=2020&carrier=ALPHA&groupBy=day&by=carrier");
        var phases = await client.GetFromJsonAsync<JsonElement>("/api/v1/indicators?season=2019&carrier=ALPHA&groupBy=phase&by=carrier");
        var compliance = await client.GetFromJsonAsync<JsonElement>("/api/v1/compliance?season=2019&carrier=ALPHA");

        Assert.Equal("accepted", upload.Status);
        Assert.Equal(("Tết Kỷ Hợi 2019", "2019-02-05", -30, 15), (season.GetProperty("name").GetString(), season.GetProperty("tet_date").GetString(),
            season.GetProperty("from_offset").GetInt32(), season.GetProperty("to_offset").GetInt32()));
        Assert.Equal(["peak", "run_up", "holiday", "recovery"], season.GetProperty("phases").EnumerateArray().Select(p => p.GetProperty("code").GetString()));
        Assert.Equal([("2019-02-01", 2019, -4, "run_up"), ("2019-02-06", 2019, 1, "holiday"), ("2019-12-28", 2020, -28, "peak")],
            days.EnumerateArray().Select(d => (d.GetProperty("report_date").GetString(), d.GetProperty("season").GetInt32(),
                d.GetProperty("tet_offset").GetInt32(), d.GetProperty("phase").GetString())));
        Assert.Equal(["run_up", "holiday"], phases.EnumerateArray().Select(p => p.GetProperty("phase").GetString()));
        // No declared service units: the unit is expected on the days it reported and the 7 days after each report
        // (1 February; 2–5 until the next report on the 6th; 7–13), the others missing.
        Assert.Equal(13, compliance.GetProperty("days").GetArrayLength());
        Assert.Equal(11, compliance.GetProperty("carriers")[0].GetProperty("missing").GetInt32());
        Assert.Equal(2, compliance.GetProperty("carriers")[0].GetProperty("on_time").GetInt32()
            + compliance.GetProperty("carriers")[0].GetProperty("late").GetInt32());
        var years = await SeasonYearsAsync(app);
        Assert.Contains(2020, years);
        Assert.DoesNotContain(2018, years);
    }

    [Fact]
    public async Task AnUploadIntoASeasonAnAdminEditedLeavesTheEditAlone()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await AddUnitBefore2021Async(app);
        await IndicatorTestData.IngestAsync(app, "ALPHA", "report_date,unit_code,received,delivered,backlog\n2019-02-01,380,100,90,10\n");
        var seasons = app.Services.GetRequiredService<Seasons>();
        await seasons.UpdateAsync(2019, "Tết Kỷ Hợi (rút gọn)", -10, 10, [new Phase("holiday", "Nghỉ Tết", "Holiday", -2, 6)], Actor.CommandLine());

        await IndicatorTestData.IngestAsync(app, "ALPHA", "report_date,unit_code,received,delivered,backlog\n2019-02-02,380,100,90,20\n", "second.csv");

        var season = await seasons.GetAsync(2019);
        Assert.Equal(("Tết Kỷ Hợi (rút gọn)", -10, 10), (season.Name, season.FromOffset, season.ToOffset));
        Assert.Equal("holiday", Assert.Single(season.Phases).Code);
    }

    [Fact]
    public async Task OnceItIsNewYearInHanoiTheDailyJobCreatesNextYearsSeasonAndLeavesAnEditedSeasonAlone()
    {
        await using var app = await TestApp.StartAsync();
        var seasons = app.Services.GetRequiredService<Seasons>();
        // Start-up creates seasons up to the real next year only, so 2031 is the job's to create.
        Assert.DoesNotContain(2031, await SeasonYearsAsync(app));
        await Seasons.EnsureAsync(app.Db, 2029, 2030);
        await seasons.UpdateAsync(2030, "Tết Canh Tuất (sửa)", -20, 10,
            [new Phase("peak", "Cao điểm", "Peak", -20, -1), new Phase("holiday", "Nghỉ Tết", "Holiday", 0, 10)], Actor.CommandLine());

        // 31 December 2029 at 23:30 in Hà Nội, then 00:30 on 1 January 2030 (still 2029 in UTC).
        var lastEvening = await JobAt(app, new DateTimeOffset(2029, 12, 31, 16, 30, 0, TimeSpan.Zero)).RunAsync(CancellationToken.None);
        var newYear = await JobAt(app, new DateTimeOffset(2029, 12, 31, 17, 30, 0, TimeSpan.Zero)).RunAsync(CancellationToken.None);
        var again = await JobAt(app, new DateTimeOffset(2029, 12, 31, 17, 35, 0, TimeSpan.Zero)).RunAsync(CancellationToken.None);

        Assert.Equal((0, 1, 0), (lastEvening, newYear, again));
        var next = await seasons.GetAsync(2031);
        Assert.Equal((Seasons.DefaultName(2031), LunarCalendar.Tet(2031), Seasons.DefaultFrom, Seasons.DefaultTo),
            (next.Name, next.TetDate, next.FromOffset, next.ToOffset));
        Assert.Equal(Seasons.DefaultPhases, next.Phases);
        var edited = await seasons.GetAsync(2030);
        Assert.Equal(("Tết Canh Tuất (sửa)", -20, 10), (edited.Name, edited.FromOffset, edited.ToOffset));
        Assert.Equal(["peak", "holiday"], edited.Phases.Select(p => p.Code));
    }

    [Fact]
    public async Task TheComingSeasonJobRunsEveryDayInHoChiMinhTime()
    {
        await using var app = await TestApp.StartAsync();

        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == ComingSeasonJob.Id);

        Assert.Equal(("Asia/Ho_Chi_Minh", ComingSeasonJob.Cron), (job.TimeZoneId, job.Cron));
        Assert.Equal(typeof(ComingSeasonJob), job.Job.Type);
    }
}
