using PostalPeak.Calendar;
using PostalPeak.Dashboard;
using PostalPeak.Indicators;

namespace PostalPeak.Tests.Dashboard;

/// <summary>The charts' axes and colour scale, computed and drawn without a database.</summary>
public sealed class ChartDrawingTests
{
    private static readonly Season Season2026 = new(2026, Seasons.DefaultName(2026), LunarCalendar.Tet(2026), Seasons.DefaultFrom, Seasons.DefaultTo, Seasons.DefaultPhases);

    private static string Save(string name, byte[] png)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Storage.MigrationTests.RepositoryRoot(), "TestResults", "charts")).FullName;
        var path = Path.Combine(folder, name + ".png");
        File.WriteAllBytes(path, png);
        return path;
    }

    [Fact]
    public void ASeasonsTimeChartTicksFallOnTetAndEverySevenDaysWithTheLunarDayUnderTheDate()
    {
        var ticks = ChartTicks.Lunar(Season2026, 900);

        Assert.Equal([-28, -21, -14, -7, 0, 7, 14], ticks.Select(t => t.Day.DayNumber - Season2026.TetDate.DayNumber));
        Assert.Equal("17/02\nMùng 1 Tết", Assert.Single(ticks, t => t.Day == new DateOnly(2026, 2, 17)).Label);
        Assert.Equal("10/02\n23 Tết", Assert.Single(ticks, t => t.Day == new DateOnly(2026, 2, 10)).Label);
        Assert.Equal("03/02\n16 Chạp", Assert.Single(ticks, t => t.Day == new DateOnly(2026, 2, 3)).Label);
        Assert.Equal("03/03\n15 Giêng", ticks[^1].Label);
    }

    [Theory]
    [InlineData(480, 14)]
    [InlineData(400, 14)]
    [InlineData(300, 28)]
    public void OnAPhoneSizedChartTheTicksThinOutButStillPassThroughTet(int width, int step)
    {
        var ticks = ChartTicks.Lunar(Season2026, width);

        Assert.Contains(ticks, t => t.Day == Season2026.TetDate);
        Assert.All(ticks.Zip(ticks.Skip(1)), pair => Assert.Equal(step, pair.Second.Day.DayNumber - pair.First.Day.DayNumber));
    }

    [Theory]
    [InlineData(900)]
    [InlineData(400)]
    public void ATimeChartDrawsItsLunarTicksOnTwoLines(int width)
    {
        var rows = Season2026.Days().Select(d => new IndicatorRow
        {
            ReportDate = d.Date, TetOffset = d.TetOffset, CarrierCode = "HOATOC", Closing = 4000 + 60L * Math.Abs(d.TetOffset), Backlog = 4000,
            Received = 5000, Delivered = 4800,
        }).ToList();
        var request = new ChartRequest("backlog", [2026], "HOATOC", null, "carrier", "closing", width, 400, false);

        using var plot = Charts.Draw(request, rows, Season2026);
        Save($"backlog-lunar-ticks-{width}", plot.GetImageBytes(width, 400, ScottPlot.ImageFormat.Png));

        var ticks = plot.Axes.Bottom.TickGenerator.Ticks.Where(t => t.IsMajor).ToList();
        Assert.Contains(ticks, t => t.Label == "17/02\nMùng 1 Tết" && t.Position == new DateTime(2026, 2, 17).ToOADate());
    }

    [Fact]
    public void AHeatmapWithoutASingleFigureIsAnEmptyChartNotAnError()
    {
        // Units reported, but no day had a value for the metric (nothing delivered yet, so no days to clear).
        var rows = Enumerable.Range(0, 3).Select(d => new IndicatorRow { UnitCode = "10000", UnitName = "Xã 0", ReportDate = new DateOnly(2026, 2, 1).AddDays(d) }).ToList();
        var request = new ChartRequest("heatmap", [2026], "HOATOC", null, "unit", "days_to_clear", 800, 400, false);

        using var plot = Charts.Draw(request, rows, Season2026);
        var png = plot.GetImageBytes(800, 400, ScottPlot.ImageFormat.Png);

        Assert.Empty(plot.GetPlottables().OfType<ScottPlot.Plottables.Heatmap>());
        Assert.True(png.Length > 1000);
    }

    [Fact]
    public void TheHeatmapColoursStopAtTheNinetyFifthPercentileAndDaysWithoutAFigureStayBlank()
    {
        // Five units × twenty days holding 1…100, one of them an outlier of 190; a last day with no figure from anyone.
        var first = new DateOnly(2026, 2, 1);
        var rows = new List<IndicatorRow>();
        for (var u = 0; u < 5; u++)
        {
            for (var d = 0; d < 20; d++)
            {
                var value = u * 20 + d + 1;
                rows.Add(new IndicatorRow { UnitCode = $"1000{u}", UnitName = $"Xã {u}", ReportDate = first.AddDays(d), DaysToClear = value == 100 ? 190 : value });
            }
            if (u < 4)
                rows.Add(new IndicatorRow { UnitCode = $"1000{u}", UnitName = $"Xã {u}", ReportDate = first.AddDays(20), DaysToClear = null });
        }
        var request = new ChartRequest("heatmap", [2026], "HOATOC", null, "unit", "days_to_clear", 800, 400, false);

        var grid = HeatmapGrid.From(rows, MetricCatalogue.DaysToClear);
        using var plot = Charts.Draw(request, rows, Season2026);
        var png = plot.GetImageBytes(800, 400, ScottPlot.ImageFormat.Png);
        Save("heatmap-clipped", png);
        using var bitmap = SkiaSharp.SKBitmap.Decode(png);

        // Ranks 95 and 96 of 100 are 95 and 96: the inclusive 95th percentile lies 0.05 of the way between them.
        Assert.Equal(95.05, grid.Clip!.Value, 9);
        var heatmap = Assert.Single(plot.GetPlottables().OfType<ScottPlot.Plottables.Heatmap>());
        Assert.Equal((1.0, 95.05), (heatmap.ManualRange!.Value.Min, Math.Round(heatmap.ManualRange!.Value.Max, 9)));
        Assert.Equal(21, grid.Days.Count);
        Assert.All(Enumerable.Range(0, 5), u => Assert.True(double.IsNaN(heatmap.Intensities[u, 20]), $"unit {u} on the last day"));
        var bar = Assert.Single(plot.Axes.GetPanels().OfType<ScottPlot.Panels.ColorBar>());
        Assert.Contains("màu trên cùng ≥ 95,0 (cắt ở p95)", bar.Label, StringComparison.Ordinal);
        // The outlier takes the top colour, like 96; a cell without a figure shows the white behind the heatmap.
        SkiaSharp.SKColor Pixel(int unit, int day)
        {
            // Off the cell's centre, where a grid line may run.
            var pixel = plot.GetPixel(new ScottPlot.Coordinates(day + 0.25, 4 - unit + 0.25));
            return bitmap.GetPixel((int)pixel.X, (int)pixel.Y);
        }
        var top = new ScottPlot.Colormaps.Turbo().GetColor(1.0);
        Assert.Equal(Pixel(4, 15), Pixel(4, 19));
        Assert.Equal(new SkiaSharp.SKColor(top.R, top.G, top.B), Pixel(4, 19));
        Assert.NotEqual(Pixel(4, 14), Pixel(4, 19));
        Assert.Equal(SkiaSharp.SKColors.White, Pixel(2, 20));
    }

    [Fact]
    public void ADayWhoseReportsAreStillArrivingIsRingedAndNamedOnceInTheLegend()
    {
        static IndicatorRow Day(string carrier, int day, int reports, long closing) => new()
        {
            CarrierCode = carrier, ReportDate = new DateOnly(2026, 2, day), Season = 2026, Reports = reports, ReportsExpected = 5,
            UnitsExpected = 5, UnitsReporting = reports, Closing = closing, Received = 100, Delivered = 90,
        };
        IndicatorRow[] rows = [Day("ALPHA", 10, 5, 900), Day("ALPHA", 11, 5, 950), Day("ALPHA", 12, 2, 980), Day("BETA", 11, 5, 400), Day("BETA", 12, 1, 420)];
        var request = new ChartRequest("backlog", [2026], null, null, "carrier", MetricCatalogue.Closing.Code, 900, 450, English: false);

        using var plot = Charts.Draw(request, rows, Season2026);
        using var complete = Charts.Draw(request, [.. rows.Where(r => r.ReportDate!.Value.Day < 12)], Season2026);

        var rings = plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Where(s => s.MarkerShape == ScottPlot.MarkerShape.OpenCircle).ToList();
        Assert.Equal(2, rings.Count);
        Assert.Equal(["Đang nhận báo cáo (chưa đầy đủ)", ""], rings.Select(r => r.LegendText));
        Assert.Equal([980.0, 420.0], rings.SelectMany(r => r.Data.GetScatterPoints()).Select(p => p.Y));
        Assert.All(rings.SelectMany(r => r.Data.GetScatterPoints()), p => Assert.Equal(new DateTime(2026, 2, 12), DateTime.FromOADate(p.X)));
        Assert.DoesNotContain(complete.GetPlottables().OfType<ScottPlot.Plottables.Scatter>(), s => s.MarkerShape == ScottPlot.MarkerShape.OpenCircle);
        Save("backlog-arriving", plot.GetImageBytes(900, 450, ScottPlot.ImageFormat.Png));
    }

    [Fact]
    public void AnIncidentIsABandOverItsAffectedDaysAndAnOpenOneRunsToTheChartsLastDayWithOneLegendEntry()
    {
        IndicatorRow[] rows = [.. Enumerable.Range(5, 8).Select(d => new IndicatorRow
        {
            CarrierCode = "HOATOC", ReportDate = new DateOnly(2026, 2, d), Season = 2026, Reports = 5, ReportsExpected = 5, Closing = 1000 + 50 * d,
        })];
        ChartMark[] marks = [new(new DateOnly(2026, 2, 7), "incident", "Ngập kho Bỉm Sơn", new DateOnly(2026, 2, 9)),
            new(new DateOnly(2026, 2, 10), "incident", "Mất điện toàn bộ trung tâm khai thác Đông Hương kéo dài")];
        var request = new ChartRequest("backlog", [2026], "HOATOC", null, "carrier", MetricCatalogue.Closing.Code, 900, 450, English: false);

        using var plot = Charts.Draw(request, rows, Season2026, marks);

        static double Day(int d) => new DateTime(2026, 2, d).ToOADate();
        var bands = plot.GetPlottables().OfType<ScottPlot.Plottables.HorizontalSpan>().Where(s => s.FillColor.Red == ScottPlot.Colors.DarkMagenta.Red
            && s.FillColor.Green == ScottPlot.Colors.DarkMagenta.Green).ToList();
        Assert.Equal([(Day(7) - 0.5, Day(9) + 0.5), (Day(10) - 0.5, Day(12) + 0.5)], bands.Select(b => (b.X1, b.X2)));
        Assert.Equal(["sự cố", ""], bands.Select(b => b.LegendText));
        var labels = plot.GetPlottables().OfType<ScottPlot.Plottables.VerticalLine>().Where(l => l.Text != "Tết").ToList();
        Assert.Equal(["Ngập kho Bỉm Sơn", "Mất điện toàn bộ trung tâm khai…"], labels.Select(l => l.Text));
        Assert.All(labels, l => Assert.Equal("", l.LegendText));
        Assert.Equal(2, labels.Select(l => l.LabelOffsetY).Distinct().Count());
        Save("backlog-incident", plot.GetImageBytes(900, 450, ScottPlot.ImageFormat.Png));
    }

    [Theory]
    [InlineData("Ngập kho Bỉm Sơn", "Ngập kho Bỉm Sơn")]
    [InlineData("Ngập kho Bỉm Sơn, 2.000 bưu gửi chậm", "Ngập kho Bỉm Sơn")]
    [InlineData("Mất điện toàn bộ trung tâm khai thác Đông Hương kéo dài", "Mất điện toàn bộ trung tâm…")]
    [InlineData("Cháy tại TP.Thanh Hóa. Đã sơ tán", "Cháy tại TP.Thanh Hóa")]
    public void AnIncidentsShortLabelIsTheFirstWordsOfItsFirstClause(string description, string label) =>
        Assert.Equal(label, PostalPeak.Incidents.IncidentMessages.ShortLabel(description));
}
