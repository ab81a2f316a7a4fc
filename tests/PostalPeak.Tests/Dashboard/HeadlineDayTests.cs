using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using PostalPeak.Accounts;
using PostalPeak.Dashboard;
using PostalPeak.Indicators;
using PostalPeak.Tests.Indicators;

namespace PostalPeak.Tests.Dashboard;

/// <summary>
/// The morning a day's first reports arrive: five units reported for ten days, then two of them report the eleventh.
/// Season 2024 (Tết 10 February); the ten days are 20–29 January, the eleventh 30 January.
/// </summary>
public sealed class HeadlineDayTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private static readonly string[] Units = ["380", "381", "382", "384", "385"];
    private static readonly DateOnly FirstDay = new(2024, 1, 20);
    private static readonly DateOnly DayTen = FirstDay.AddDays(9);
    private static readonly DateOnly DayEleven = FirstDay.AddDays(10);

    /// <summary>Each unit's figures differ by unit and day, so that a sum over the wrong units cannot come out right.</summary>
    private static (long Received, long Delivered, long Backlog) Figures(int unit, int day) => (1000 + 100 * unit + 7 * day, 900 + 90 * unit + 5 * day, 5000 + 1000 * unit - 40 * day);

    /// <summary>The reports of <paramref name="days"/> for the given unit indexes.</summary>
    private static string Csv(IEnumerable<int> days, IEnumerable<int> units)
    {
        var csv = new StringBuilder("report_date,unit_code,received,delivered,backlog\n");
        foreach (var day in days)
            foreach (var unit in units)
            {
                var (received, delivered, backlog) = Figures(unit, day);
                csv.Append(CultureInfo.InvariantCulture, $"{FirstDay.AddDays(day):yyyy-MM-dd},{Units[unit]},{received},{delivered},{backlog}\n");
            }
        return csv.ToString();
    }

    private static async Task<TestApp> MorningAsync(int[]? fifthUnitDays = null)
    {
        var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddUserAsync("analyst", Roles.Analyst);
        await app.AddUserAsync("alpha", Roles.CarrierManager, "ALPHA");
        Assert.Equal("accepted", (await IndicatorTestData.IngestAsync(app, "ALPHA", Csv(Enumerable.Range(0, 10), [0, 1, 2, 3]))).Status);
        Assert.Equal("accepted", (await IndicatorTestData.IngestAsync(app, "ALPHA", Csv(fifthUnitDays ?? Enumerable.Range(0, 10).ToArray(), [4]))).Status);
        // The eleventh morning: the first two units are in.
        Assert.Equal("accepted", (await IndicatorTestData.IngestAsync(app, "ALPHA", Csv([10], [0, 1]))).Status);
        return app;
    }

    private static async Task<IndicatorRow> DayRowAsync(HttpClient client, DateOnly day)
    {
        var rows = await client.GetFromJsonAsync<List<IndicatorRow>>("/api/v1/indicators?season=2024&carrier=ALPHA", Json);
        return Assert.Single(rows!, r => r.ReportDate == day);
    }

    [Fact]
    public async Task TheEleventhDaysClosingAddsTheSilentUnitsLatestClosingsAndCountsThemAsCarried()
    {
        await using var app = await MorningAsync();
        using var analyst = await app.SignedInClientAsync("analyst");

        var row = await DayRowAsync(analyst, DayEleven);

        var reported = Figures(0, 10).Backlog + Figures(1, 10).Backlog;
        var carried = Figures(2, 9).Backlog + Figures(3, 9).Backlog + Figures(4, 9).Backlog;
        Assert.Equal((reported + carried, reported), (row.Closing, row.ClosingReported));
        Assert.Equal((5, 2, 3), (row.UnitsExpected, row.UnitsReporting, row.UnitsCarried));
        Assert.Equal((2, 5L, 3L), (row.Reports, row.ReportsExpected, row.ReportsCarried));
        Assert.Equal(reported + carried, row.Backlog);
    }

    [Fact]
    public async Task TheEleventhDaysThroughputComparesTheTwoReportingUnitsOnly()
    {
        await using var app = await MorningAsync();
        using var analyst = await app.SignedInClientAsync("analyst");

        var row = await DayRowAsync(analyst, DayEleven);

        // The trailing window 28–30 January of the two units that reported on the 30th.
        long received = 0, delivered = 0;
        foreach (var unit in new[] { 0, 1 })
            foreach (var day in new[] { 8, 9, 10 })
            {
                received += Figures(unit, day).Received;
                delivered += Figures(unit, day).Delivered;
            }
        Assert.Equal((double)delivered / received, row.ThroughputRatio!.Value, 12);
        Assert.Equal(Figures(0, 10).Received + Figures(1, 10).Received, row.Received);
        // Days to clear: the reporting units' closing over their own pace, never the carried closings over two units' deliveries.
        Assert.Equal((Figures(0, 10).Backlog + Figures(1, 10).Backlog) / ((double)delivered / 3), row.DaysToClear!.Value, 9);
    }

    [Fact]
    public async Task AUnitSilentForLongerThanTheCarryDaysIsExpectedButNotCarried()
    {
        // The fifth unit last reported on the 7th day (26 January): four days before the 11th, one more than CarryDays.
        await using var app = await MorningAsync(fifthUnitDays: [0, 1, 2, 3, 4, 5, 6]);
        using var analyst = await app.SignedInClientAsync("analyst");

        var row = await DayRowAsync(analyst, DayEleven);
        var dayNine = await DayRowAsync(analyst, FirstDay.AddDays(8));

        Assert.Equal((5, 2, 2), (row.UnitsExpected, row.UnitsReporting, row.UnitsCarried));
        Assert.Equal(Figures(0, 10).Backlog + Figures(1, 10).Backlog + Figures(2, 9).Backlog + Figures(3, 9).Backlog, row.Closing);
        // Two days after its last report it is still carried.
        Assert.Equal((5, 4, 1), (dayNine.UnitsExpected, dayNine.UnitsReporting, dayNine.UnitsCarried));
        Assert.Equal(Enumerable.Range(0, 4).Sum(u => Figures(u, 8).Backlog) + Figures(4, 6).Backlog, dayNine.Closing);
    }

    [Fact]
    public async Task TheOverviewApiHeadlinesTheTenthDayAndShowsTheEleventhAsArriving()
    {
        await using var app = await MorningAsync();
        using var analyst = await app.SignedInClientAsync("analyst");
        using var manager = await app.SignedInClientAsync("alpha");

        var overview = await analyst.GetFromJsonAsync<OverviewData>("/api/v1/overview?season=2024", Json);
        var own = await manager.GetFromJsonAsync<OverviewData>("/api/v1/overview?season=2024", Json);

        Assert.Equal((DayTen, DayEleven), (overview!.ReportDay, overview.LatestDay));
        Assert.Equal((5L, 5L, 0L), (overview.Coverage.ReportDay!.Expected, overview.Coverage.ReportDay.Reporting, overview.Coverage.ReportDay.Carried));
        Assert.Equal((5, 2, 3), (overview.Coverage.LatestDay!.UnitsExpected, overview.Coverage.LatestDay.UnitsReporting, overview.Coverage.LatestDay.UnitsCarried));
        var tile = Assert.Single(overview.Carriers);
        Assert.Equal(("ALPHA", DayTen, 5, 5, 0), (tile.CarrierCode, tile.ReportDate, tile.UnitsExpected, tile.UnitsReporting, tile.UnitsCarried));
        Assert.Equal(Enumerable.Range(0, 5).Sum(u => Figures(u, 9).Backlog), tile.Closing);
        // The carrier's own manager reads the same overview, in the same scope rules as the page.
        Assert.Equal((DayTen, DayEleven, 1), (own!.ReportDay, own.LatestDay, own.Carriers.Count));
    }

    [Fact]
    public async Task TheOverviewPageOpensOnTheTenthDayAndLinksToTheEleventhsPartialFigures()
    {
        await using var app = await MorningAsync();
        using var analyst = await app.SignedInClientAsync("analyst");

        var page = await analyst.GetStringAsync("/dashboard?season=2024");
        var partial = await analyst.GetStringAsync("/dashboard?season=2024&day=2024-01-30");
        var english = await analyst.GetStringAsync("/dashboard?season=2024&culture=en-US");

        Assert.Contains("29/01/2024", page);
        Assert.Contains("data-test=\"arriving\"", page);
        Assert.Contains("Đang nhận báo cáo ngày 30/01/2024: đã báo cáo 2/5 đơn vị.", page);
        Assert.Contains("href=\"/dashboard?season=2024&amp;day=2024-01-30\"", page);
        Assert.DoesNotContain("data-test=\"partial-day\"", page);
        Assert.Contains("<dd data-test=\"tile-coverage\">5/5 đơn vị</dd>", page);
        // The partial day says what it is, and how its stocks were made up.
        Assert.Contains("data-test=\"partial-day\"", partial);
        Assert.Contains("mới nhận 2/5 báo cáo", partial);
        Assert.Contains("3 đơn vị lấy theo ngày trước", partial);
        Assert.Contains("href=\"/dashboard?season=2024&amp;day=2024-01-29\"", partial);
        Assert.Contains("Reports for 30/01/2024 are arriving: 2/5 units reported.", english);
    }

    [Fact]
    public async Task TheSummaryStopsAtTheHeadlineDayAndSaysTheNextIsArriving()
    {
        await using var app = await MorningAsync();
        using var analyst = await app.SignedInClientAsync("analyst");

        var page = await analyst.GetStringAsync("/summary?season=2024");

        Assert.Contains("data-test=\"summary-arriving\"", page);
        Assert.Contains("Số liệu tính đến ngày 29/01/2024", page);
        // The carrier's season row ends on the 29th: its received total has none of the 30th's parcels.
        var received = Enumerable.Range(0, 10).Sum(d => Enumerable.Range(0, 5).Sum(u => Figures(u, d).Received));
        Assert.Contains($">{received.ToString("N0", CultureInfo.GetCultureInfo("vi-VN"))}<", page);
    }

    [Fact]
    public async Task OnceTheDayIsCompleteItBecomesTheHeadline()
    {
        await using var app = await MorningAsync();
        Assert.Equal("accepted", (await IndicatorTestData.IngestAsync(app, "ALPHA", Csv([10], [2, 3, 4]))).Status);
        using var analyst = await app.SignedInClientAsync("analyst");

        var overview = await analyst.GetFromJsonAsync<OverviewData>("/api/v1/overview?season=2024", Json);
        var page = await analyst.GetStringAsync("/dashboard?season=2024");

        Assert.Equal((DayEleven, DayEleven), (overview!.ReportDay, overview.LatestDay));
        Assert.Contains("30/01/2024", page);
        Assert.DoesNotContain("data-test=\"arriving\"", page);
    }

    [Fact]
    public async Task TheOverviewApiRefusesAnotherCarrierToAManager()
    {
        await using var app = await MorningAsync();
        await app.AddCarrierAsync("BETA");
        using var manager = await app.SignedInClientAsync("alpha");

        var response = await manager.GetAsync("/api/v1/overview?season=2024&carrier=BETA");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData(new[] { 100L, 95, 90 }, 0.95, 2)]
    [InlineData(new[] { 100L, 94, 100 }, 0.95, 3)]
    [InlineData(new[] { 100L, 100, 3 }, 0.95, 2)]
    [InlineData(new[] { 40L, 50 }, 0.95, null)]
    [InlineData(new[] { 40L, 50 }, 0.4, 2)]
    public void TheHeadlineIsTheLatestDayWhoseShareReachesTheThreshold(long[] reporting, double share, int? headline)
    {
        var days = reporting.Select((r, i) => new DayCoverage(FirstDay.AddDays(i), 100, r, 100 - r, 5, 5, 0)).ToList();

        var chosen = Overview.Choose(days, share);

        Assert.Equal(headline is { } n ? FirstDay.AddDays(n - 1) : null, chosen.ReportDay);
        Assert.Equal(FirstDay.AddDays(reporting.Length - 1), chosen.LatestDay);
        Assert.Equal(chosen.ReportDay != chosen.LatestDay, chosen.Arriving is not null);
    }
}
