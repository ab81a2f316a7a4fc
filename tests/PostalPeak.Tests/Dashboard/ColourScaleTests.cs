using System.Globalization;
using PostalPeak.Alerts;
using PostalPeak.Calendar;
using PostalPeak.Dashboard;
using PostalPeak.Indicators;
using PostalPeak.Shell;

namespace PostalPeak.Tests.Dashboard;

/// <summary>The colour of a figure from its metric's alert thresholds, computed and drawn without a database.</summary>
public sealed class ColourScaleTests
{
    private static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");

    private static int _ids;

    private static AlertRule Rule(string metric, string comparison, double threshold, string severity, params PhaseOverride[] phases) => new()
    {
        Id = Interlocked.Increment(ref _ids), Code = $"rule_{_ids}", NameVi = "Quy tắc", NameEn = "Rule", Metric = metric, Comparison = comparison,
        Threshold = threshold, Severity = severity, Phases = phases,
    };

    [Fact]
    public void BelowTheWarningLevelIsGreenBetweenWarningAndCriticalAmberAndPastCriticalRed()
    {
        var scale = ColourScale.For(MetricCatalogue.DaysToClear, [Rule("days_to_clear", ">", 5, "warning"), Rule("days_to_clear", ">", 10, "critical")]);

        Assert.Equal(ColourBand.Ok, scale.BandOf(1.5, "peak"));
        // "> 5" does not hold at 5 itself: the boundary belongs to the band below.
        Assert.Equal(ColourBand.Ok, scale.BandOf(5, "peak"));
        Assert.Equal(ColourBand.Warning, scale.BandOf(5.1, "peak"));
        Assert.Equal(ColourBand.Warning, scale.BandOf(10, "peak"));
        Assert.Equal(ColourBand.Critical, scale.BandOf(10.1, "peak"));
        Assert.Equal(ColourBand.Critical, scale.BandOf(190, null));
        Assert.Equal(ColourBand.None, scale.BandOf(null, "peak"));
        Assert.Equal(ColourBand.None, scale.BandOf(double.NaN, "peak"));
    }

    [Fact]
    public void ForARuleOnALowValueTheLowFiguresAreTheBadOnes()
    {
        var scale = ColourScale.For(MetricCatalogue.ThroughputRatio, [Rule("throughput_ratio", "<", 0.7, "warning"), Rule("throughput_ratio", "<=", 0.5, "critical")]);

        Assert.Equal(ColourBand.Ok, scale.BandOf(1.1, "peak"));
        Assert.Equal(ColourBand.Ok, scale.BandOf(0.7, "peak"));
        Assert.Equal(ColourBand.Warning, scale.BandOf(0.69, "peak"));
        Assert.Equal(ColourBand.Critical, scale.BandOf(0.5, "peak"));
        Assert.Equal(ColourBand.Critical, scale.BandOf(0.1, "peak"));
    }

    [Fact]
    public void WithOnlyAWarningRuleNothingIsRedAndWithOnlyACriticalRuleNothingIsAmber()
    {
        var warningOnly = ColourScale.For(MetricCatalogue.ComplaintsPer10k, [Rule("complaints_per_10k", ">", 40, "warning")]);
        var criticalOnly = ColourScale.For(MetricCatalogue.LossPer10k, [Rule("loss_per_10k", ">", 30, "critical")]);

        Assert.Equal([ColourBand.Ok, ColourBand.Warning, ColourBand.Warning], new double[] { 12, 41, 4000 }.Select(v => warningOnly.BandOf(v, "peak")));
        Assert.Equal([ColourBand.Ok, ColourBand.Critical, ColourBand.Critical], new double[] { 12, 31, 4000 }.Select(v => criticalOnly.BandOf(v, "peak")));
    }

    [Fact]
    public void EachDayIsJudgedByTheThresholdOfItsPhaseAndAMutedPhaseIsNotJudged()
    {
        var scale = ColourScale.For(MetricCatalogue.DaysToClear, [Rule("days_to_clear", ">", 5, "warning",
            new PhaseOverride("run_up", false, 8), new PhaseOverride("holiday", true, null))]);

        Assert.Equal(ColourBand.Warning, scale.BandOf(6, "peak"));
        Assert.Equal(ColourBand.Ok, scale.BandOf(6, "run_up"));
        Assert.Equal(ColourBand.Warning, scale.BandOf(9, "run_up"));
        Assert.Equal(ColourBand.Off, scale.BandOf(190, "holiday"));
        Assert.Equal(ColourBand.Warning, scale.BandOf(6, null));
    }

    [Fact]
    public void OnlyTheEnabledGeneralRulesOfTheMetricColourItAndInfoRulesColourNothing()
    {
        var rules = new[]
        {
            Rule("days_to_clear", ">", 5, "warning") with { Enabled = false },
            Rule("days_to_clear", ">", 2, "critical") with { CarrierCode = "HOATOC" },
            Rule("days_to_clear", ">", 2, "critical") with { UnitCodes = ["15853"] },
            Rule("days_to_clear", ">", 1, "info"),
            Rule("closing", ">", 1, "critical"),
        };

        var scale = ColourScale.For(MetricCatalogue.DaysToClear, rules);

        Assert.False(scale.HasRules);
        Assert.Equal(ColourBand.None, scale.BandOf(50, "peak"));
        Assert.Empty(scale.Legend(Translations.In("vi"), Vietnamese));
    }

    [Fact]
    public void OfSeveralRulesOfOneSeverityTheOneThatFiresFirstSetsTheBoundary()
    {
        var high = ColourScale.For(MetricCatalogue.DaysToClear, [Rule("days_to_clear", ">", 9, "warning"), Rule("days_to_clear", ">", 6, "warning")]);
        var low = ColourScale.For(MetricCatalogue.ThroughputRatio, [Rule("throughput_ratio", "<", 0.5, "warning"), Rule("throughput_ratio", "<", 0.8, "warning")]);

        Assert.Equal(6, high.Warning!.Threshold);
        Assert.Equal(ColourBand.Warning, high.BandOf(7, "peak"));
        Assert.Equal(0.8, low.Warning!.Threshold);
        Assert.Equal(ColourBand.Warning, low.BandOf(0.7, "peak"));
    }

    [Fact]
    public void TheColourKeyQuotesEachThresholdInTheMetricsFormatWithItsPhasesInTheSeasonsOrder()
    {
        var scale = ColourScale.For(MetricCatalogue.DaysToClear, [
            Rule("days_to_clear", ">", 5.5, "warning", new PhaseOverride("holiday", true, null), new PhaseOverride("run_up", false, 8)),
            Rule("days_to_clear", ">=", 12, "critical"),
        ]);

        var vi = scale.Legend(Translations.In("vi"), Vietnamese);
        var en = scale.Legend(Translations.In("en"), English);

        Assert.Equal([ColourBand.Critical, ColourBand.Warning, ColourBand.Ok, ColourBand.Off], vi.Select(k => k.Band));
        Assert.Equal("Nghiêm trọng: Số ngày giải tỏa ≥ 12", vi[0].Text);
        Assert.Equal("Cần chú ý: Số ngày giải tỏa > 5,5 (theo giai đoạn: Cận Tết: 8; Nghỉ Tết: tắt)", vi[1].Text);
        Assert.Contains("5.5", en[1].Text, StringComparison.Ordinal);
        Assert.Contains("Run-up: 8", en[1].Text, StringComparison.Ordinal);
        Assert.All(vi.Concat(en), k => Assert.DoesNotContain("days_to_clear", k.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void TheHeatmapGridJudgesEachCellByItsDaysPhase()
    {
        var tet = LunarCalendar.Tet(2026);
        var scale = ColourScale.For(MetricCatalogue.DaysToClear, [Rule("days_to_clear", ">", 5, "warning", new PhaseOverride("run_up", false, 8))]);
        // The same 6 days to clear in the last peak day (T-8) and the first run-up day (T-7).
        var rows = new[] { (-8, "peak"), (-7, "run_up") }.Select(d => new IndicatorRow
        {
            UnitCode = "15853", UnitName = "Phường Đông Tiến", ReportDate = tet.AddDays(d.Item1), Phase = d.Item2, DaysToClear = 6,
        }).ToList();

        var grid = HeatmapGrid.From(rows, MetricCatalogue.DaysToClear, scale);
        var plain = HeatmapGrid.From(rows, MetricCatalogue.DaysToClear);

        Assert.True(grid.ByRules);
        Assert.Equal([ColourBand.Warning, ColourBand.Ok], [grid.BandAt(0, 0), grid.BandAt(0, 1)]);
        Assert.False(plain.ByRules);
        Assert.Equal(ColourBand.None, plain.BandAt(0, 0));
    }

    [Fact]
    public void TheHeatmapImageColoursEachCellByItsBandAndNamesTheThresholdsInItsLegend()
    {
        var season = new Season(2026, Seasons.DefaultName(2026), LunarCalendar.Tet(2026), Seasons.DefaultFrom, Seasons.DefaultTo, Seasons.DefaultPhases);
        var scale = ColourScale.For(MetricCatalogue.DaysToClear, [Rule("days_to_clear", ">", 5, "warning"), Rule("days_to_clear", ">", 10, "critical")]);
        var first = season.TetDate.AddDays(-20);
        // Three units a day: within (3), amber (7) and red (12) days to clear; a fourth day with no figure.
        var rows = new List<IndicatorRow>();
        foreach (var (unit, value) in new[] { ("10000", 3.0), ("10001", 7.0), ("10002", 12.0) })
        {
            for (var d = 0; d < 3; d++)
                rows.Add(new IndicatorRow { UnitCode = unit, UnitName = $"Xã {unit}", ReportDate = first.AddDays(d), Phase = "peak", DaysToClear = value });
            rows.Add(new IndicatorRow { UnitCode = unit, UnitName = $"Xã {unit}", ReportDate = first.AddDays(3), Phase = "peak", DaysToClear = null });
        }
        var request = new ChartRequest("heatmap", [2026], "HOATOC", null, "unit", "days_to_clear", 800, 400, false);

        using var plot = Charts.Draw(request, rows, season, null, scale: scale);
        var png = plot.GetImageBytes(800, 400, ScottPlot.ImageFormat.Png);
        // Kept beside the other charts' test images, to look at.
        File.WriteAllBytes(Path.Combine(Directory.CreateDirectory(Path.Combine(Storage.MigrationTests.RepositoryRoot(), "TestResults", "charts")).FullName,
            "heatmap-bands.png"), png);
        using var bitmap = SkiaSharp.SKBitmap.Decode(png);

        SkiaSharp.SKColor Pixel(int unit, int day)
        {
            var pixel = plot.GetPixel(new ScottPlot.Coordinates(day + 0.25, 2 - unit + 0.25));
            return bitmap.GetPixel((int)pixel.X, (int)pixel.Y);
        }
        static SkiaSharp.SKColor Of(ColourBand band) => new(Charts.BandColours[band].R, Charts.BandColours[band].G, Charts.BandColours[band].B);
        Assert.Equal(Of(ColourBand.Ok), Pixel(0, 1));
        Assert.Equal(Of(ColourBand.Warning), Pixel(1, 1));
        Assert.Equal(Of(ColourBand.Critical), Pixel(2, 1));
        Assert.Equal(SkiaSharp.SKColors.White, Pixel(1, 3));
        Assert.Empty(plot.Axes.GetPanels().OfType<ScottPlot.Panels.ColorBar>());
        var legend = plot.Legend.ManualItems.Select(i => i.LabelText).ToList();
        Assert.Contains("Nghiêm trọng: Số ngày giải tỏa > 10", legend);
        Assert.Contains("Cần chú ý: Số ngày giải tỏa > 5", legend);
    }

    [Fact]
    public void WithoutARuleTheHeatmapKeepsTheSeasonsDistributionAndSaysSo()
    {
        var season = new Season(2026, Seasons.DefaultName(2026), LunarCalendar.Tet(2026), Seasons.DefaultFrom, Seasons.DefaultTo, Seasons.DefaultPhases);
        var rows = Enumerable.Range(0, 30).Select(d => new IndicatorRow
        {
            UnitCode = "10000", UnitName = "Xã 0", ReportDate = season.TetDate.AddDays(d - 30), Phase = "peak", Closing = 100 * d,
        }).ToList();
        var request = new ChartRequest("heatmap", [2026], "HOATOC", null, "unit", "closing", 800, 400, true);

        using var plot = Charts.Draw(request, rows, season, null, scale: ColourScale.For(MetricCatalogue.Closing, []));

        var bar = Assert.Single(plot.Axes.GetPanels().OfType<ScottPlot.Panels.ColorBar>());
        Assert.StartsWith("Colour scale from the season's own distribution: no alert threshold", bar.Label, StringComparison.Ordinal);
        Assert.Empty(plot.Legend.ManualItems);
    }
}
