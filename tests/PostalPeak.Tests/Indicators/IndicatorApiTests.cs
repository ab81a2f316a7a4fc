using System.Net;
using System.Text;
using System.Text.Json;
using Dapper;
using PostalPeak.Accounts;
using PostalPeak.Indicators;

namespace PostalPeak.Tests.Indicators;

public sealed class IndicatorApiTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static async Task<List<IndicatorRow>> GetAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("/api/v1/indicators?" + query);
        Assert.True(response.IsSuccessStatusCode, $"{query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<List<IndicatorRow>>(Json))!;
    }

    private static async Task<TestApp> AppWithAnalystAsync(params string[] carriers)
    {
        var app = await TestApp.StartAsync();
        foreach (var carrier in carriers)
            await app.AddCarrierAsync(carrier);
        await app.AddUserAsync("analyst", Roles.Analyst);
        return app;
    }

    [Fact]
    public async Task ProvinceRatiosComeFromSummedCountsNotFromAveragedRatios()
    {
        await using var app = await AppWithAnalystAsync("ALPHA", "BETA");
        // Season 2024 (Tết 10 February). ALPHA's small unit delivers everything, BETA's big one a tenth.
        await IndicatorTestData.IngestAsync(app, "ALPHA", "report_date,unit_code,received,delivered,lost,backlog\n2024-02-01,380,10,10,0,5\n");
        await IndicatorTestData.IngestAsync(app, "BETA", "report_date,unit_code,received,delivered,lost,backlog\n2024-02-01,381,1000,100,4,900\n");
        using var client = await app.SignedInClientAsync("analyst");

        var row = Assert.Single(await GetAsync(client, "season=2024&by=province"));

        Assert.Equal(("38", 1010L, 110L, 905L), (row.ProvinceCode, row.Received, row.Delivered, row.Closing));
        Assert.Equal(110.0 / 1010, row.ThroughputRatio!.Value, 12); // not (1.0 + 0.1) / 2
        Assert.Equal(10_000.0 * 4 / 114, row.LossPer10k!.Value, 9);
        Assert.Equal(905 / 110.0, row.DaysToClear!.Value, 9);
        Assert.Equal((2, 2, 2), (row.Reports, row.UnitsReporting, row.CarriersReporting));
        Assert.Equal((2024, "peak", -9), (row.Season, row.Phase, row.TetOffset));
    }

    [Fact]
    public async Task RollUpsAgreeWithTheReferenceForEveryGrouping()
    {
        // ALPHA reports every unit, BETA and GAMMA only some; GAMMA has declared service units, DELTA is no longer active.
        await using var app = await AppWithAnalystAsync("ALPHA", "BETA", "GAMMA", "DELTA");
        var random = new Random(7);
        // Three seasons, each with a few days on either side of its window: 2024 and 2025 by district, 2026 by
        // commune. The communes come from districts 380, 381 and others (14818 from both 380 and 381), so a unit
        // asked for reaches across the reform through the crosswalk.
        var stretches = new (string[] Units, DateOnly From, DateOnly To)[]
        {
            (["380", "381", "390"], new(2024, 1, 5), new(2024, 2, 28)),
            (["380", "381", "398"], new(2024, 12, 26), new(2025, 2, 16)),
            (["14758", "14812", "14818", "15853"], new(2026, 1, 15), new(2026, 3, 7)),
        };
        foreach (var carrier in new[] { "ALPHA", "BETA", "GAMMA", "DELTA" })
        {
            var rows = new List<RawRow>();
            foreach (var (units, from, to) in stretches)
                foreach (var unit in units)
                {
                    if (carrier != "ALPHA" && random.NextDouble() < 0.3)
                        continue;
                    // Optional counts are a habit of the series: some never report them, some now and then, some always.
                    var habit = new Habit(Often(random), Often(random), Often(random));
                    // So is silence: some series miss a day now and then, some go quiet for one to five days (past the
                    // days a stock is carried), some also for more than a week (no longer expected).
                    var silence = random.Next(3);
                    for (var day = from; day <= to; day = day.AddDays(1))
                    {
                        if (silence == 0 && random.NextDouble() < 0.1)
                            continue;
                        rows.Add(RandomRow(random, habit, unit, day));
                        if (silence > 0 && random.NextDouble() < 0.3)
                            day = day.AddDays(silence == 2 && random.NextDouble() < 0.2 ? random.Next(8, 13) : random.Next(1, 6));
                    }
                }
            Assert.Equal("accepted", (await IndicatorTestData.IngestAsync(app, carrier, IndicatorTestData.Csv(rows))).Status);
        }
        // GAMMA's declared units: some it never reports, some not in force in every season (districts before the
        // reform, a commune after it); its reports outside the list still count.
        await using (var connection = await app.Db.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("""
                insert into carrier_service_unit (carrier_id, unit_code, declared_by)
                select c.id, u.unit_code, 'test' from carrier c cross join unnest(array['380', '390', '398', '14812', '14818']) u(unit_code)
                where c.code = 'GAMMA'
                """);
            await connection.ExecuteAsync("update carrier set active = false where code = 'DELTA'");
        }
        var raw = await IndicatorTestData.ReportsAsync(app);
        var reference = ReferenceIndicators.Compute(raw);
        // The roll-ups start from the stored daily rows: those agree with the reference first.
        ReferenceIndicators.AssertSame(reference, await IndicatorTestData.IndicatorsAsync(app));
        var world = await IndicatorTestData.WorldAsync(app);
        using var client = await app.SignedInClientAsync("analyst");

        var asks = new List<RollUpAsk>();
        foreach (var groupBy in IndicatorFilter.GroupBys)
            foreach (var by in IndicatorFilter.Bys)
            {
                asks.Add(new([2024, 2025, 2026], groupBy, by));
                asks.Add(new([2025, 2026], groupBy, by, Unit: "380"));
                asks.Add(new([2025, 2026], groupBy, by, Unit: "14818"));
                asks.Add(new([2024], groupBy, by, Carrier: "BETA"));
                asks.Add(new([2024, 2026], groupBy, by, Carrier: "GAMMA"));
            }
        var compared = new List<IndicatorRow>();
        foreach (var ask in asks)
        {
            var expected = ReferenceIndicators.RollUp(raw, reference, world, ask);
            Assert.NotEmpty(expected);
            ReferenceIndicators.AssertSameRollUp(ask.Query, expected, await GetAsync(client, ask.Query));
            compared.AddRange(expected);
        }

        // The data reached every case the roll-ups distinguish: rates of members that reported them and of
        // members that did not, zero denominators, partial closing coverage, and counterparts across the reform.
        Assert.Contains(compared, r => r.DamagePer10k > 0);
        Assert.Contains(compared, r => r.Damaged is not null && r.DamagePer10k is null);
        Assert.Contains(compared, r => r.ComplaintsPer10k is null && r.DaysReported == 1);
        Assert.Contains(compared, r => r.LossPer10k is null && r.Received > 0);
        Assert.Contains(compared, r => r.ClosingKnown > 0 && r.ClosingKnown < r.Reports && r.DaysReported == 1);
        Assert.Contains(compared, r => r.Unaccounted is > 0 or < 0);
        Assert.Contains(compared, r => r.Approximate && r.ThroughputRatio is not null);
        // And coverage: carried stocks, expected reports neither in nor carried, a unit carried for one carrier while
        // another reported it, and carried pairs that add nothing to the closing (only open complaints known).
        Assert.Contains(compared, r => r.DaysReported == 1 && r.ReportsCarried > 0 && r.Closing != r.ClosingReported);
        Assert.Contains(compared, r => r.DaysReported == 1 && r.ReportsExpected > r.Reports + r.ReportsCarried);
        Assert.Contains(compared, r => r.DaysReported == 1 && r.ReportsCarried > 0 && r.UnitsCarried == 0);
        Assert.Contains(compared, r => r.DaysReported == 1 && r.UnitsCarried > 0 && r.UnitsExpected > r.UnitsReporting);
        Assert.Contains(compared, r => r.DaysReported == 1 && r.ReportsCarried > 0 && r.Closing == r.ClosingReported);
        Assert.Contains(compared, r => r.DaysReported > 1 && r.ReportsCarried > 0 && r.Closing != r.ClosingReported);
    }

    /// <summary>How often a series fills in its optional counts.</summary>
    private sealed record Habit(double Lost, double Damaged, double Complaints);

    private static double Often(Random random) => random.Next(3) switch { 0 => 0.0, 1 => 0.6, _ => 1.0 };

    /// <summary>A day of random figures; about one in twenty is a day without traffic, where every rate's denominator is zero.</summary>
    private static RawRow RandomRow(Random random, Habit habit, string unit, DateOnly day)
    {
        var quiet = random.NextDouble() < 0.05;
        long? Sometimes(double chance, int below) => random.NextDouble() < chance ? (quiet ? 0 : random.Next(0, below)) : null;
        return new RawRow
        {
            UnitCode = unit, ReportDate = day,
            Received = quiet ? 0 : random.Next(0, 300), Delivered = quiet ? 0 : random.Next(0, 300),
            Returned = Sometimes(0.9, 5), Lost = Sometimes(habit.Lost, 3),
            // Damage is found in stock too, so a day without deliveries can still report it.
            Damaged = random.NextDouble() < habit.Damaged ? random.Next(0, 4) : null,
            Backlog = random.NextDouble() < 0.6 ? random.Next(0, 500) : null,
            ComplaintsReceived = Sometimes(habit.Complaints, 4), ComplaintsResolved = Sometimes(habit.Complaints, 4),
        };
    }

    [Fact]
    public async Task WithoutASeasonTheDefaultSeasonsWindowIsMeantAndADateRangeReadsAcrossSeasons()
    {
        await using var app = await AppWithAnalystAsync("ALPHA");
        // The 2024 season, a summer day outside every season, then the 2025 season (window 30/12/2024 … 13/02/2025)
        // and a day after its window: the latest season with reports is 2025.
        await IndicatorTestData.IngestAsync(app, "ALPHA",
            "report_date,unit_code,received,delivered\n2024-02-01,380,10,10\n2024-06-01,380,20,10\n2025-01-20,380,30,20\n2025-02-20,380,40,30\n");
        using var client = await app.SignedInClientAsync("analyst");

        var bare = await GetAsync(client, "by=carrier");
        var perSeason = await GetAsync(client, "groupBy=season");
        var range = await GetAsync(client, "from=2024-01-01&to=2024-12-31");
        var open = await GetAsync(client, "from=2024-06-01");

        Assert.Equal([(new DateOnly(2025, 1, 20), (int?)2025)], bare.Select(r => (r.ReportDate!.Value, r.Season)));
        Assert.Equal([(2025, 30L)], perSeason.Select(r => (r.Season!.Value, r.Received)));
        Assert.Equal([(new DateOnly(2024, 2, 1), (int?)2024), (new DateOnly(2024, 6, 1), null)], range.Select(r => (r.ReportDate!.Value, r.Season)));
        Assert.Equal([new DateOnly(2024, 6, 1), new DateOnly(2025, 1, 20), new DateOnly(2025, 2, 20)], open.Select(r => r.ReportDate!.Value));
    }

    [Fact]
    public async Task SeasonsLineUpOnTheTetAxisAndMissingDaysStayGaps()
    {
        await using var app = await AppWithAnalystAsync("ALPHA");
        // The day before Tết in 2023 (21 January) and 2024 (9 February); nothing on 2024's Tết day.
        await IndicatorTestData.IngestAsync(app, "ALPHA", "report_date,unit_code,received,delivered\n2023-01-21,380,50,40\n2023-01-22,380,5,4\n");
        await IndicatorTestData.IngestAsync(app, "ALPHA", "report_date,unit_code,received,delivered\n2024-02-09,380,60,50\n2024-02-11,380,6,5\n");
        using var client = await app.SignedInClientAsync("analyst");

        var rows = await GetAsync(client, "season=2023&season=2024&groupBy=tet_offset&by=carrier");

        Assert.Equal(
            [(-1, 2023, new DateOnly(2023, 1, 21)), (-1, 2024, new DateOnly(2024, 2, 9)), (0, 2023, new DateOnly(2023, 1, 22)), (1, 2024, new DateOnly(2024, 2, 11))],
            rows.Select(r => (r.TetOffset!.Value, r.Season!.Value, r.ReportDate!.Value)));
        Assert.DoesNotContain(rows, r => r.Season == 2024 && r.TetOffset == 0);
        Assert.Equal(["run_up", "run_up", "holiday", "holiday"], rows.Select(r => r.Phase));
    }

    [Fact]
    public async Task AUnitAcrossTheReformGoesThroughTheCrosswalkAndIsMarkedApproximate()
    {
        await using var app = await AppWithAnalystAsync("ALPHA");
        // 14758 Phường Hàm Rồng took its communes from district 380 (Thanh Hóa city).
        await IndicatorTestData.IngestAsync(app, "ALPHA", "report_date,unit_code,received,delivered\n2025-01-20,380,300,280\n2025-01-20,381,70,60\n");
        await IndicatorTestData.IngestAsync(app, "ALPHA", "report_date,unit_code,received,delivered\n2026-02-08,14758,90,80\n");
        using var client = await app.SignedInClientAsync("analyst");

        var rows = await GetAsync(client, "season=2025&season=2026&by=unit&unit=14758&groupBy=tet_offset");

        Assert.Equal([(2025, 300L, true), (2026, 90L, false)], rows.Select(r => (r.Season!.Value, r.Received, r.Approximate)));
        Assert.All(rows, r => Assert.Equal("14758", r.UnitCode));
    }

    [Fact]
    public async Task ACarrierManagerSeesOnlyItsOwnCarrier()
    {
        await using var app = await AppWithAnalystAsync("ALPHA", "BETA");
        await IndicatorTestData.IngestAsync(app, "ALPHA", "report_date,unit_code,received,delivered\n2024-02-01,380,10,10\n");
        await IndicatorTestData.IngestAsync(app, "BETA", "report_date,unit_code,received,delivered\n2024-02-01,380,20,10\n");
        using var token = app.Client(await app.CreateTokenAsync("BETA"));

        var own = await GetAsync(token, "season=2024");
        var refused = await token.GetAsync("/api/v1/indicators?season=2024&carrier=ALPHA");

        Assert.Equal([("BETA", 20L)], own.Select(r => (r.CarrierCode!, r.Received)));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("carrier_forbidden", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task CsvUsesTheDesignColumnNames()
    {
        await using var app = await AppWithAnalystAsync("ALPHA");
        await IndicatorTestData.IngestAsync(app, "ALPHA", "report_date,unit_code,received,delivered,backlog\n2024-02-01,380,1000,990,10\n2024-02-02,380,5,9,\n");
        using var client = await app.SignedInClientAsync("analyst");

        var response = await client.GetAsync("/api/v1/indicators?season=2024&by=unit&format=csv");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var lines = Encoding.UTF8.GetString(bytes.AsSpan(3)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var header = lines[0].Split(',');
        foreach (var column in new[] { "report_date", "unit_code", "received", "delivered", "closing", "opening", "flow_backlog", "unaccounted",
            "throughput_ratio", "clearance_rate", "days_to_clear", "loss_per_10k", "damage_per_10k", "complaints_per_10k", "open_complaints", "backlog_growth", "units_reporting" })
            Assert.Contains(column, header);
        var second = lines[2].Split(',');
        string Field(string name) => second[Array.IndexOf(header, name)];
        // A negative growth stays a number: the formula guard applies to text only.
        Assert.Equal(("2024-02-02", "380", "6", "10", "-4"), (Field("report_date"), Field("unit_code"), Field("closing"), Field("opening"), Field("backlog_growth")));
        Assert.Equal("", Field("lost"));
    }

    [Theory]
    [InlineData("groupBy=week", "invalid_group_by")]
    [InlineData("by=district", "invalid_by")]
    [InlineData("from=2024-02-10&to=2024-02-01", "invalid_range")]
    [InlineData("from=yesterday", null)]
    public async Task ABadQueryIsA400WithACode(string query, string? code)
    {
        await using var app = await AppWithAnalystAsync();
        using var client = await app.SignedInClientAsync("analyst");

        var response = await client.GetAsync("/api/v1/indicators?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (code is not null)
            Assert.Equal(code, problem.GetProperty("code").GetString());
    }
}
