using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Accounts;
using PostalPeak.Audit;
using PostalPeak.Demo;
using PostalPeak.Indicators;
using PostalPeak.Ingestion;
using PostalPeak.Tests.Demo;

namespace PostalPeak.Tests.Indicators;

/// <summary>
/// The committed sample seasons (sample-data/seasons, four seasons, six carriers, 1,104 files), uploaded once
/// in manifest order through the real ingestion path with the indicator refresh after each accepted file.
/// The tests only read it.
/// </summary>
public sealed class SampleSeasonsDatabase : IAsyncLifetime
{
    public const string Collection = "Sample seasons";

    public sealed record Result(string File, string Kind, Upload Upload, IReadOnlyList<StoredIssue> Issues);

    public TestApp App { get; private set; } = null!;
    public List<Result> Results { get; } = [];

    public async Task InitializeAsync()
    {
        App = await TestApp.StartAsync();
        foreach (var line in File.ReadLines(Path.Combine(Samples.CommittedFolder, SampleData.CarriersFile)).Skip(1))
        {
            var fields = line.Split(',', 2);
            await App.AddCarrierAsync(fields[0], fields[1]);
        }
        await App.AddUserAsync("analyst", Roles.Analyst);
        await App.AddUserAsync("hoatoc.manager", Roles.CarrierManager, "HOATOC");
        var store = App.Services.GetRequiredService<UploadStore>();
        var processor = App.Services.GetRequiredService<UploadProcessor>();
        var refresh = App.Services.GetRequiredService<IndicatorRefresh>();
        foreach (var line in File.ReadLines(Path.Combine(Samples.CommittedFolder, SampleData.ManifestFile)).Skip(1))
        {
            var fields = line.Split(',');
            await using var content = File.OpenRead(Path.Combine(Samples.CommittedFolder, fields[0]));
            var upload = await store.ReceiveAsync(content, Path.GetFileName(fields[0]), "cli", fields[1], Actor.CommandLine(), "en", CancellationToken.None);
            if (await processor.ProcessAsync(upload.Id, CancellationToken.None) == "accepted")
                await refresh.RefreshAfterUploadAsync(upload.Id, CancellationToken.None);
            Results.Add(new Result(fields[0], fields[4], (await store.FindAsync(upload.Id))!, await store.IssuesAsync(upload.Id)));
        }
        await App.Services.GetRequiredService<PostalPeak.Alerts.AlertEvaluator>().EvaluateAllAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>The sample seasons are loaded once for every class in this collection, and a browser is at hand.</summary>
[CollectionDefinition(SampleSeasonsDatabase.Collection)]
public sealed class SampleSeasonsDefinition : ICollectionFixture<SampleSeasonsDatabase>, ICollectionFixture<Infrastructure.Browser>
{
}

[Collection(SampleSeasonsDatabase.Collection)]
public sealed class SampleSeasonTests(SampleSeasonsDatabase sample)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private async Task<List<IndicatorRow>> GetAsync(string query)
    {
        using var client = await sample.App.SignedInClientAsync("analyst");
        return (await client.GetFromJsonAsync<List<IndicatorRow>>("/api/v1/indicators?" + query, Json))!;
    }

    private static DateOnly Day(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public void EveryFileIsAcceptedWithWarningsOnlyWhereTheIncidentsPutThem()
    {
        Assert.Equal(1104, sample.Results.Count);
        Assert.All(sample.Results, r => Assert.True(r.Upload.Status == "accepted", $"{r.File}: {r.Upload.Status}"));
        var warnings = sample.Results.SelectMany(r => r.Issues.Select(i => $"{r.File} {i.Severity} {i.Code}")).Order(StringComparer.Ordinal);
        Assert.Equal(
        [
            "2026/PHUONGDONG/2026-02-07.csv warning backlog_mismatch", // unaccounted parcels on T-10
            "2026/SAOKHUE/2026-02-08.csv warning backlog_mismatch", // the two mistyped delivered figures of T-9
            "2026/SAOKHUE/2026-02-08.csv warning backlog_mismatch",
        ], warnings);
        var correction = Assert.Single(sample.Results, r => r.Kind == "correction").Upload;
        Assert.Equal((0, 2, correction.RowsTotal - 2), (correction.RowsNew, correction.RowsCorrected, correction.RowsUnchanged));
    }

    [Fact]
    public async Task StoredIndicatorsAgreeWithTheReferenceOnEverySampleRow()
    {
        var reports = await IndicatorTestData.ReportsAsync(sample.App);
        var expected = ReferenceIndicators.Compute(reports);

        Assert.True(expected.Count > 68_000);
        ReferenceIndicators.AssertSame(expected, await IndicatorTestData.IndicatorsAsync(sample.App));
    }

    [Fact]
    public async Task TheBacklogSpiralShowsInDaysToClearAndGrowth()
    {
        var rows = await GetAsync("season=2026&carrier=HOATOC&unit=15853&by=unit");
        var calm = await GetAsync("season=2026&carrier=SAOKHUE&unit=15853&by=unit");

        // Before Tết: over the holiday deliveries stop for everyone and days_to_clear rises by nature.
        var worst = rows.Where(r => r.TetOffset < 0).MaxBy(r => r.DaysToClear)!;
        Assert.True(worst.DaysToClear > 7, $"days_to_clear peaked at {worst.DaysToClear}");
        Assert.InRange(worst.TetOffset!.Value, -14, -1);
        var calmWorst = calm.Where(r => r.TetOffset < 0).Max(r => r.DaysToClear);
        Assert.True(worst.DaysToClear > 2 * calmWorst, $"the spiral peaked at {worst.DaysToClear}, a calm carrier at {calmWorst}");
        // It builds for days on end before Tết.
        Assert.True(rows.Where(r => r.TetOffset is >= -12 and <= -2).All(r => r.BacklogGrowth > 0));
    }

    [Fact]
    public async Task TheLossIncidentShowsLossRatesAndUnaccountedParcels()
    {
        var rows = await GetAsync("season=2026&carrier=PHUONGDONG&unit=16378&by=unit");

        var t10 = Assert.Single(rows, r => r.ReportDate == Day("2026-02-07"));
        Assert.Equal(401, t10.Unaccounted);
        var lossDays = rows.OrderByDescending(r => r.Lost).Take(3).Select(r => r.ReportDate!.Value).Order().ToList();
        Assert.Equal([Day("2026-02-04"), Day("2026-02-05"), Day("2026-02-06")], lossDays);
        Assert.All(rows.Where(r => lossDays.Contains(r.ReportDate!.Value)), r => Assert.True(r.LossPer10k > 20, $"{r.ReportDate}: {r.LossPer10k}"));
    }

    [Fact]
    public async Task TheComplaintSurgeStandsOutAgainstThePeak()
    {
        var phases = await GetAsync("season=2026&carrier=LAMSON&unit=14758&by=unit&groupBy=phase");

        var peak = Assert.Single(phases, p => p.Phase == "peak").ComplaintsPer10k!.Value;
        var runUp = Assert.Single(phases, p => p.Phase == "run_up").ComplaintsPer10k!.Value;
        Assert.True(runUp > 4 * peak, $"run-up {runUp:N1} against peak {peak:N1} per 10,000");
    }

    [Fact]
    public async Task TheMissingReportIsAGapNotAZero()
    {
        var rows = await GetAsync("season=2026&carrier=HAMRONG&by=carrier&from=2026-02-10&to=2026-02-14");
        var unit = await GetAsync("season=2026&carrier=HAMRONG&unit=15772&by=unit&from=2026-02-22&to=2026-02-24");

        Assert.Equal([Day("2026-02-10"), Day("2026-02-11"), Day("2026-02-13"), Day("2026-02-14")], rows.Select(r => r.ReportDate!.Value));
        // The day after the gap has no opening: the chain is broken until a counted backlog anchors it.
        Assert.Null(rows.Single(r => r.ReportDate == Day("2026-02-13")).Opening);
        Assert.NotNull(rows.Single(r => r.ReportDate == Day("2026-02-13")).Closing);
        Assert.Equal([Day("2026-02-22"), Day("2026-02-24")], unit.Select(r => r.ReportDate!.Value));
        Assert.Null(unit[1].Opening);
    }

    [Fact]
    public async Task TheCorrectedFiguresReplaceTheMistypedOnes()
    {
        var rows = await GetAsync("season=2026&carrier=SAOKHUE&unit=14797&by=unit&from=2026-02-08&to=2026-02-08");

        var day = Assert.Single(rows);
        Assert.Equal(4149, day.Delivered);
        // With the mistyped 449 the flow would have stranded some 3,700 parcels.
        Assert.InRange(day.Unaccounted!.Value, -20, 20);
    }

    [Fact]
    public async Task ThreeSeasonsLineUpAroundTheirOwnTetWithTheHolidaySlump()
    {
        var rows = await GetAsync("season=2023&season=2024&season=2025&by=province&groupBy=tet_offset");

        foreach (var season in new[] { 2023, 2024, 2025 })
        {
            var series = rows.Where(r => r.Season == season).ToDictionary(r => r.TetOffset!.Value);
            Assert.Equal(46, series.Count);
            Assert.Equal(LunarDay(season), series[0].ReportDate);
            Assert.True(series[1].Received < series[-10].Received / 3, $"{season}: Mùng 2 {series[1].Received} against T-10 {series[-10].Received}");
            Assert.Equal(27, series[-10].UnitsReporting);
        }
        // Ordered on the Tết axis: offset first, then season.
        Assert.Equal(rows.OrderBy(r => r.TetOffset).ThenBy(r => r.Season).Select(r => (r.TetOffset, r.Season)), rows.Select(r => (r.TetOffset, r.Season)));
    }

    [Fact]
    public async Task TheIndicatorsPageShowsEachCarriersPhasesInVietnameseAndEnglish()
    {
        using var client = await sample.App.SignedInClientAsync("analyst");

        var vietnamese = await client.GetStringAsync("/indicators?season=2026");
        var english = await client.GetStringAsync("/indicators?season=2026&culture=en-US");

        // Six carriers × four phases, with the figures marked as the carriers' own reports.
        Assert.Equal(24, vietnamese.Split("<tr>").Length - 2);
        foreach (var text in new[] { "HOATOC", "Cao điểm trước Tết", "Nghỉ Tết", "tự báo cáo" })
            Assert.Contains(text, vietnamese, StringComparison.Ordinal);
        foreach (var text in new[] { "Peak before Tết", "Recovery", "self-reports" })
            Assert.Contains(text, english, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDefaultRulesFireOnEveryScriptedIncidentAndStayQuietOtherwise()
    {
        await using var connection = await sample.App.Db.OpenConnectionAsync();
        var fired = (await connection.QueryAsync<(string Rule, string Carrier, string Unit, DateOnly FiringOn)>("""
            select r.code, c.code, a.unit_code, a.firing_on
            from alert a join alert_rule r on r.id = a.rule_id join carrier c on c.id = a.carrier_id
            where a.firing_on between '2026-01-18' and '2026-03-04'
            """)).ToList();
        bool Fired(string rule, string carrier, string unit) => fired.Any(f => f.Rule == rule && f.Carrier == carrier && f.Unit == unit);

        // The backlog spiral in two units.
        foreach (var unit in new[] { "15448", "15853" })
        {
            Assert.True(Fired("backlog_days_to_clear", "HOATOC", unit), unit);
            Assert.True(Fired("throughput_low", "HOATOC", unit), unit);
        }
        // The loss incident, and the parcels unaccounted for the day after.
        Assert.True(Fired("lost_parcels", "PHUONGDONG", "16378"));
        Assert.True(Fired("loss_rate", "PHUONGDONG", "16378"));
        Assert.Contains(("unaccounted_parcels", "PHUONGDONG", "16378", new DateOnly(2026, 2, 7)), fired);
        // The complaint surge.
        Assert.True(Fired("complaints_rate", "LAMSON", "14758"));
        // The missing report, carrier-wide, on 12 February only.
        Assert.Equal([new DateOnly(2026, 2, 12)], fired.Where(f => f.Rule == "missing_report").Select(f => f.FiringOn));
        // The mistyped figures were corrected, so the alert they would have raised is not there.
        Assert.DoesNotContain(fired, f => f.Rule == "unaccounted_parcels" && f.Carrier == "SAOKHUE");
        // The muted rules raise nothing over the holiday, and ordinary days stay quiet: a handful of warnings
        // about peak stress besides the incidents, not hundreds.
        Assert.DoesNotContain(fired, f => f.Rule is "backlog_days_to_clear" or "throughput_low" or "backlog_growth"
            && f.FiringOn >= new DateOnly(2026, 2, 17) && f.FiringOn <= new DateOnly(2026, 2, 21));
        Assert.InRange(fired.Count, 15, 30);
    }

    [Fact]
    public async Task TheOverviewShowsTheDayPerCarrierWithTheMissingReportAndTheProvinceBacklog()
    {
        using var client = await sample.App.SignedInClientAsync("analyst");

        var page = await client.GetStringAsync("/dashboard?season=2026&day=2026-02-12");
        var english = await client.GetStringAsync("/dashboard?season=2026&day=2026-02-12&culture=en-US");

        // HAMRONG sent nothing on 12 February: five tiles, and its 166 communes are missing.
        Assert.Equal(5, System.Text.RegularExpressions.Regex.Count(page, @"<section class=""tile[^""]*"" data-carrier="));
        // HOATOC's roll-up hides its spiral; the tile names the commune slowest to clear, one of the two in the spiral.
        var hoatoc = page[page.IndexOf("data-carrier=\"HOATOC\"", StringComparison.Ordinal)..];
        hoatoc = hoatoc[..hoatoc.IndexOf("</section>", StringComparison.Ordinal)];
        Assert.Matches(@"data-test=""tile-worst"".*unit=(15448|15853)", hoatoc.ReplaceLineEndings(" "));
        Assert.DoesNotContain("data-carrier=\"HAMRONG\"", page, StringComparison.Ordinal);
        Assert.Matches(@"<td>HAMRONG</td><td class=""num"">0</td><td class=""num"">0</td>\s*<td class=""num error"">166</td>", page);
        Assert.Contains("/charts/backlog.png?season=2026", page, StringComparison.Ordinal);
        Assert.Contains("Season overview", english, StringComparison.Ordinal);
        Assert.Contains("25 tháng Chạp", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("backlog", "season=2026&by=carrier")]
    [InlineData("intake", "season=2026")]
    [InlineData("rates", "season=2026&carrier=LAMSON")]
    [InlineData("overlay", "season=2023&season=2024&season=2025&metric=closing")]
    [InlineData("heatmap", "season=2026&carrier=HOATOC&metric=days_to_clear")]
    public async Task EveryChartIsAnImageOfTheRequestedSizeWithTextAndData(string kind, string query)
    {
        using var client = await sample.App.SignedInClientAsync("analyst");

        var png = await client.GetByteArrayAsync($"/charts/{kind}.png?{query}&width=800&height=400");
        var svg = await client.GetStringAsync($"/charts/{kind}.svg?{query}&width=640&height=360");
        var again = await client.GetByteArrayAsync($"/charts/{kind}.png?{query}&width=800&height=400");

        var folder = Directory.CreateDirectory(Path.Combine(Storage.MigrationTests.RepositoryRoot(), "TestResults", "charts")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(folder, kind + ".png"), png);
        using var bitmap = SkiaSharp.SKBitmap.Decode(png);
        Assert.Equal((800, 400), (bitmap.Width, bitmap.Height));
        var colours = new HashSet<uint>();
        var titleInk = 0;
        for (var y = 0; y < bitmap.Height; y += 2)
            for (var x = 0; x < bitmap.Width; x += 2)
            {
                var pixel = bitmap.GetPixel(x, y);
                colours.Add((uint)pixel);
                if (y < 40 && pixel.Red < 100 && pixel.Green < 100 && pixel.Blue < 100)
                    titleInk++;
            }
        Assert.True(colours.Count > 20, $"{kind}: only {colours.Count} colours");
        Assert.True(titleInk > 30, $"{kind}: the title area is empty ({titleInk} dark pixels)");
        Assert.Contains("width=\"640\"", svg, StringComparison.Ordinal);
        Assert.Contains("<text", svg, StringComparison.Ordinal);
        Assert.Equal(png, again);
    }

    [Fact]
    public async Task TheTableBehindAChartExportsAsCsv()
    {
        using var client = await sample.App.SignedInClientAsync("analyst");

        var csv = await client.GetStringAsync("/charts/backlog.csv?season=2026&by=carrier");

        var lines = csv.TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("season,phase,report_date,tet_offset", lines[0], StringComparison.Ordinal);
        Assert.Equal(6 * 46 - 1 + 1, lines.Length); // six carriers × 46 days, HAMRONG missing one, plus the header
    }

    [Fact]
    public async Task ThePrintableSummaryHasEveryCarrierPhaseAlertAndReportingFigure()
    {
        using var client = await sample.App.SignedInClientAsync("analyst");

        var page = await client.GetStringAsync("/summary?season=2026");

        string Table(string name)
        {
            var start = page.IndexOf($"data-test=\"{name}\"", StringComparison.Ordinal);
            return page[start..page.IndexOf("</table>", start, StringComparison.Ordinal)];
        }
        Assert.Equal(6, Table("summary-carriers").Split("<tr>").Length - 2);
        Assert.Equal(4, Table("summary-phases").Split("<tr>").Length - 2);
        Assert.Contains("HOATOC", Table("summary-alerts"), StringComparison.Ordinal);
        // HAMRONG: a whole day (166 communes) and one commune on another day.
        var reporting = Table("summary-reporting");
        var hamrong = reporting[reporting.IndexOf("<td>HAMRONG</td>", StringComparison.Ordinal)..];
        var cells = System.Text.RegularExpressions.Regex.Matches(hamrong[..hamrong.IndexOf("</tr>", StringComparison.Ordinal)], ">([^<]*)</td>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["HAMRONG", "7.636", "167"], new[] { cells[0], cells[1], cells[4] });
    }

    [Fact]
    public async Task TimeChartsMarkTheDaysAnAlertFiredAndTheDaysFiguresWereCorrected()
    {
        using var client = await sample.App.SignedInClientAsync("analyst");

        var corrected = await client.GetStringAsync("/charts/backlog.svg?season=2026&carrier=SAOKHUE&unit=14797&by=unit");
        var spiral = await client.GetStringAsync("/charts/backlog.svg?season=2026&carrier=HOATOC&unit=15853&by=unit");
        var province = await client.GetStringAsync("/charts/backlog.svg?season=2026");

        Assert.Contains("số liệu đã sửa", corrected, StringComparison.Ordinal);
        Assert.Contains("cảnh báo bắt đầu", spiral, StringComparison.Ordinal);
        Assert.DoesNotContain("cảnh báo bắt đầu", province, StringComparison.Ordinal);
    }

    private static DateOnly LunarDay(int year) => PostalPeak.Calendar.LunarCalendar.Tet(year);
}
