using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Accounts;
using PostalPeak.Calendar;
using PostalPeak.Dashboard;
using PostalPeak.Indicators;
using PostalPeak.Tests.Indicators;

namespace PostalPeak.Tests.Dashboard;

/// <summary>
/// A chart, the table behind it and GET /api/v1/indicators give one number for one day and grouping: the window
/// ratios of design section 4, never a chart's own per-day arithmetic.
/// </summary>
public sealed class ChartFiguresTests
{
    private static readonly string[] Metrics = ["closing", "days_to_clear", "throughput_ratio", "received", "loss_per_10k", "complaints_per_10k"];

    /// <summary>
    /// Two carriers over two seasons, with a gap in a window, a counted backlog of zero beside a non-zero one and
    /// complaints on some days only: each is where a figure derived per day or per member parts from the roll-up's.
    /// </summary>
    private static async Task<TestApp> StartWithReportsAsync()
    {
        var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddCarrierAsync("BETA");
        await app.AddUserAsync("analyst", Roles.Analyst);
        const string header = "report_date,unit_code,received,delivered,returned,lost,damaged,backlog,complaints_received,complaints_resolved\n";
        await IndicatorTestData.IngestAsync(app, "ALPHA", header + """
            2024-02-01,380,1000,900,10,2,1,500,4,1
            2024-02-02,380,1200,700,10,0,0,,9,3
            2024-02-03,380,400,1100,5,1,0,,,
            2024-02-05,380,300,600,0,0,0,200,2,2
            2024-02-01,381,200,210,0,0,0,40,0,0
            2024-02-02,381,250,150,0,1,0,,1,0
            2024-02-03,381,90,180,0,0,0,,,
            2025-01-25,380,800,780,5,0,0,300,3,1
            2025-01-26,380,900,600,5,3,0,,5,0
            """);
        await IndicatorTestData.IngestAsync(app, "BETA", header + """
            2024-02-01,380,500,520,0,0,0,0,1,0
            2024-02-02,380,600,580,0,1,0,20,2,1
            2024-02-03,380,100,150,0,0,0,0,0,3
            2025-01-25,380,300,310,0,0,0,0,0,0
            2025-01-26,380,350,300,2,0,0,48,1,1
            """);
        return app;
    }

    private static double? Number(JsonElement row, string field) =>
        row.GetProperty(field).ValueKind == JsonValueKind.Null ? null : row.GetProperty(field).GetDouble();

    private static List<string> Fields(string line) => [.. line.Split(',').Select(f => f.Trim('"'))];

    [Fact]
    public async Task AnOverlayByCarrierExportsAndDrawsTheApisFiguresForEachSeasonCarrierAndDayFromTet()
    {
        await using var app = await StartWithReportsAsync();
        using var client = await app.SignedInClientAsync("analyst");
        var api = (await client.GetFromJsonAsync<JsonElement>("/api/v1/indicators?season=2024&season=2025&groupBy=tet_offset&by=carrier"))
            .EnumerateArray().ToDictionary(r => (r.GetProperty("season").GetInt32(), r.GetProperty("carrier_code").GetString()!, r.GetProperty("tet_offset").GetInt32()));
        Assert.Equal(11, api.Count);

        foreach (var metric in Metrics)
        {
            // The table behind the chart, as the compare page links it.
            var csv = (await client.GetStringAsync($"/charts/overlay.csv?season=2024&season=2025&by=carrier&metric={metric}"))
                .TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var columns = Fields(csv[0]);
            Assert.Equal(api.Count, csv.Length - 1);
            foreach (var line in csv.Skip(1).Select(Fields))
            {
                string Cell(string column) => line[columns.IndexOf(column)];
                var row = api[(int.Parse(Cell("season"), CultureInfo.InvariantCulture), Cell("carrier_code"), int.Parse(Cell("tet_offset"), CultureInfo.InvariantCulture))];
                Assert.Equal(Number(row, metric), Cell(metric) is { Length: > 0 } text ? double.Parse(text, CultureInfo.InvariantCulture) : null);
            }

            // The chart itself: one line per season and carrier, each point the API's figure of that day.
            var request = new ChartRequest("overlay", [2024, 2025], null, null, "carrier", metric, 900, 450, false);
            var rows = await app.Services.GetRequiredService<IndicatorQuery>().RollUpAsync(request.Filter(), CancellationToken.None);
            using var plot = Charts.Draw(request, rows, null);
            var lines = plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().ToList();
            Assert.Equal(["2024 · ALPHA", "2024 · BETA", "2025 · ALPHA", "2025 · BETA"], lines.Select(l => l.LegendText));
            var drawn = lines.SelectMany(l => l.Data.GetScatterPoints().Select(p =>
                (Season: int.Parse(l.LegendText[..4], CultureInfo.InvariantCulture), Carrier: l.LegendText[7..], Offset: (int)p.X, p.Y))).ToList();
            Assert.Equal(api.Count, drawn.Count);
            Assert.All(drawn, point => Assert.Equal(Number(api[(point.Season, point.Carrier, point.Offset)], metric) ?? double.NaN, point.Y));
        }
    }

    [Fact]
    public async Task TheRatesChartDrawsTheApisLossAndWindowedComplaintRates()
    {
        await using var app = await StartWithReportsAsync();
        using var client = await app.SignedInClientAsync("analyst");
        var season = await app.Services.GetRequiredService<Seasons>().GetAsync(2024);

        foreach (var by in new[] { "province", "carrier" })
        {
            var api = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/indicators?season=2024&groupBy=day&by={by}")).EnumerateArray().ToList();
            var request = new ChartRequest("rates", [2024], null, null, by, "days_to_clear", 900, 450, false);
            var rows = await app.Services.GetRequiredService<IndicatorQuery>().RollUpAsync(request.Filter(), CancellationToken.None);

            using var plot = Charts.Draw(request, rows, season);

            var lines = plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().ToDictionary(l => l.LegendText);
            foreach (var group in api.GroupBy(r => by == "carrier" ? r.GetProperty("carrier_code").GetString() + " · " : ""))
            {
                foreach (var (label, field) in new[] { ("Thất lạc / 10.000", "loss_per_10k"), ("Khiếu nại / 10.000", "complaints_per_10k") })
                {
                    var drawn = lines[group.Key + label].Data.GetScatterPoints();
                    Assert.Equal(group.Select(r => DateOnly.Parse(r.GetProperty("report_date").GetString()!, CultureInfo.InvariantCulture).ToDateTime(TimeOnly.MinValue).ToOADate()),
                        drawn.Select(p => p.X));
                    Assert.Equal(group.Select(r => Number(r, field) ?? double.NaN), drawn.Select(p => p.Y));
                }
            }
        }
    }
}
