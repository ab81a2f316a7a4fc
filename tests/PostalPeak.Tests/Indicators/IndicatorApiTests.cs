using System.Net;
using System.Text;
using System.Text.Json;
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
        await using var app = await AppWithAnalystAsync("ALPHA", "BETA");
        var random = new Random(7);
        foreach (var carrier in new[] { "ALPHA", "BETA" })
        {
            var rows = new List<RawRow>();
            foreach (var unit in new[] { "380", "381", "390" })
                for (var day = new DateOnly(2024, 1, 5); day <= new DateOnly(2024, 2, 28); day = day.AddDays(1))
                    if (random.NextDouble() > 0.1)
                        rows.Add(new RawRow
                        {
                            UnitCode = unit, ReportDate = day, Received = random.Next(0, 300), Delivered = random.Next(0, 300),
                            Returned = random.Next(0, 5), Lost = random.NextDouble() < 0.7 ? random.Next(0, 3) : null,
                            Backlog = random.NextDouble() < 0.6 ? random.Next(0, 500) : null,
                            ComplaintsReceived = random.Next(0, 4), ComplaintsResolved = random.Next(0, 4),
                        });
            await IndicatorTestData.IngestAsync(app, carrier, IndicatorTestData.Csv(rows));
        }
        var raw = await IndicatorTestData.ReportsAsync(app);
        var reference = ReferenceIndicators.Compute(raw);
        var members = raw.Join(reference, r => (r.CarrierId, r.UnitCode, r.ReportDate), i => (i.CarrierId, i.UnitCode, i.ReportDate), (r, i) => (Raw: r, Ind: i))
            .Where(m => m.Raw.ReportDate >= new DateOnly(2024, 1, 11) && m.Raw.ReportDate <= new DateOnly(2024, 2, 25)) // the 2024 season
            .ToList();
        using var client = await app.SignedInClientAsync("analyst");

        var byProvinceDay = await GetAsync(client, "season=2024&by=province&groupBy=day");
        var expectedDays = members.GroupBy(m => m.Raw.ReportDate).OrderBy(g => g.Key).ToList();
        Assert.Equal(expectedDays.Count, byProvinceDay.Count);
        foreach (var (want, got) in expectedDays.Zip(byProvinceDay))
        {
            var where = $"province {want.Key:yyyy-MM-dd}";
            Assert.Equal(want.Key, got.ReportDate);
            Assert.Equal(want.Sum(m => m.Raw.Received), got.Received);
            Assert.Equal(want.Count(m => m.Ind.Closing is not null), got.ClosingKnown);
            Assert.Equal(want.Any(m => m.Ind.Closing is not null) ? want.Sum(m => m.Ind.Closing ?? 0) : null, got.Closing);
            ReferenceIndicators.Close(where, "throughput_ratio",
                Ratio(want.Sum(m => m.Ind.WindowDelivered), want.Sum(m => m.Ind.WindowReceived)), got.ThroughputRatio);
            var known = want.Where(m => m.Ind.Closing is not null).ToList();
            ReferenceIndicators.Close(where, "days_to_clear",
                known.Count == 0 ? null : Ratio(known.Sum(m => m.Ind.Closing!.Value), known.Sum(m => (double)m.Ind.WindowDelivered / m.Ind.WindowDays)), got.DaysToClear);
            var opened = want.Where(m => m.Ind.Opening is not null).ToList();
            ReferenceIndicators.Close(where, "clearance_rate",
                opened.Count == 0 ? null : Ratio(opened.Sum(m => m.Raw.Delivered), opened.Sum(m => m.Ind.Opening!.Value + m.Raw.Received)), got.ClearanceRate);
            var withLoss = want.Where(m => m.Raw.Lost is not null).ToList();
            ReferenceIndicators.Close(where, "loss_per_10k",
                withLoss.Count == 0 ? null : Ratio(10_000.0 * withLoss.Sum(m => m.Raw.Lost!.Value), withLoss.Sum(m => m.Raw.Delivered + (m.Raw.Returned ?? 0) + m.Raw.Lost!.Value)), got.LossPer10k);
        }

        var bySeason = await GetAsync(client, "season=2024&by=carrier&groupBy=season");
        Assert.Equal(["ALPHA", "BETA"], bySeason.Select(r => r.CarrierCode));
        foreach (var got in bySeason)
        {
            var want = members.Where(m => m.Raw.CarrierId == (got.CarrierCode == "ALPHA" ? 1 : 2)).ToList();
            var lastDay = want.Max(m => m.Raw.ReportDate);
            Assert.Equal((want.Sum(m => m.Raw.Received), want.Sum(m => m.Raw.Delivered)), (got.Received, got.Delivered));
            Assert.Equal((want.Min(m => m.Raw.ReportDate), lastDay), (got.FirstDate, got.LastDate));
            Assert.Equal(want.Select(m => m.Raw.ReportDate).Distinct().Count(), got.DaysReported);
            ReferenceIndicators.Close(got.CarrierCode!, "throughput_ratio", Ratio(want.Sum(m => m.Raw.Delivered), want.Sum(m => m.Raw.Received)), got.ThroughputRatio);
            var closingAtEnd = want.Where(m => m.Raw.ReportDate == lastDay && m.Ind.Closing is not null).ToList();
            Assert.Equal(closingAtEnd.Count == 0 ? null : closingAtEnd.Sum(m => m.Ind.Closing!.Value), got.Closing);
            Assert.Equal(want.Sum(m => m.Raw.ComplaintsReceived ?? 0), got.ComplaintsReceived);
        }

        var byPhase = await GetAsync(client, "season=2024&by=unit&groupBy=phase&unit=381");
        Assert.Equal(["peak", "run_up", "holiday", "recovery"], byPhase.Select(r => r.Phase));
        Assert.Equal(members.Where(m => m.Raw.UnitCode == "381").Sum(m => m.Raw.Received), byPhase.Sum(r => r.Received));
        Assert.All(byPhase, r => Assert.Equal(("381", false), (r.UnitCode, r.Approximate)));
    }

    private static double? Ratio(double numerator, double denominator) => denominator == 0 ? null : numerator / denominator;

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
