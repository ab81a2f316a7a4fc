using System.Globalization;
using PostalPeak.Calendar;
using Microsoft.Extensions.Localization;
using PostalPeak.Indicators;
using PostalPeak.Shell;
using ScottPlot;

namespace PostalPeak.Dashboard;

/// <summary>
/// A day to point out on a time chart: an alert began firing, a carrier corrected its figures, or an incident began.
/// An incident's <paramref name="To"/> is its last affected day, null while it is open (its band then runs to the chart's last day).
/// </summary>
public sealed record ChartMark(DateOnly Day, string Kind, string Label, DateOnly? To = null);

/// <summary>What a chart shows: the indicator filters plus the chart's own settings, all from the URL.</summary>
public sealed record ChartRequest(string Kind, int[] Seasons, string? CarrierCode, string? UnitCode, string By, string Metric, int Width, int Height,
    bool English)
{
    public static readonly string[] Kinds = ["backlog", "intake", "rates", "overlay", "heatmap"];

    /// <summary>The roll-up a chart is drawn from and its CSV exports: the same as GET /api/v1/indicators with these filters.</summary>
    public IndicatorFilter Filter() => new(Seasons, CarrierCode, UnitCode, null, null, Kind == "overlay" ? "tet_offset" : "day", By);
}

/// <summary>
/// The dashboard's charts, drawn on the server with ScottPlot (text in DejaVu Sans, which covers Vietnamese):
/// dates labelled dd/MM over the lunar day on a season's time charts, a Tết marker and shaded phases, days without reports left as gaps.
/// Every ratio drawn is the roll-up's own, one line per group of the roll-up: a chart never derives a figure the
/// indicators API would give differently (window sums, members without a closing).
/// </summary>
public static class Charts
{
    private const string FontName = "DejaVu Sans";

    private static readonly Dictionary<string, Color> PhaseColours = new()
    {
        ["peak"] = Color.FromHex("#fdeccf"), ["run_up"] = Color.FromHex("#fbd5c4"), ["holiday"] = Color.FromHex("#f7c0c0"), ["recovery"] = Color.FromHex("#d7ecd9"),
    };

    /// <param name="completeShare">A day whose reports cover less of the expected ones is drawn as arriving (hollow markers).</param>
    /// <param name="scale">For the heatmap: the metric's alert thresholds, which then give the colours.</param>
    public static Plot Draw(ChartRequest request, IReadOnlyList<IndicatorRow> rows, Season? season, IReadOnlyList<ChartMark>? marks = null,
        double completeShare = 0.95, ColourScale? scale = null)
    {
        var plot = new Plot();
        var t = Translations.In(request.English ? Translations.English : Translations.Vietnamese);
        var partial = new PartialDays(t["Overview.PartialLegend"], completeShare);
        var metric = MetricCatalogue.Get(request.Metric);
        switch (request.Kind)
        {
            case "backlog":
                Shade(plot, season);
                foreach (var group in Groups(rows))
                    Line(plot, group.Key, group.Select(r => (r.ReportDate!.Value, (double?)r.Closing)));
                // After every line, so that the legend names the lines first and the rings once, last.
                foreach (var group in Groups(rows))
                    partial.Mark(plot, group, r => r.Closing);
                if (Groups(rows).Count() == 1)
                    Line(plot, t["Chart.CountedBacklog"], rows.Select(r => (r.ReportDate!.Value, (double?)r.Backlog)), LinePattern.Dotted);
                plot.Title(MetricCatalogue.Closing.Name(t));
                plot.YLabel(MetricCatalogue.Closing.Axis(t));
                break;
            case "intake":
                Shade(plot, season);
                Line(plot, MetricCatalogue.Received.Name(t), Sum(rows, r => r.Received));
                Line(plot, MetricCatalogue.Delivered.Name(t), Sum(rows, r => r.Delivered));
                partial.MarkSums(plot, rows, r => r.Received);
                partial.MarkSums(plot, rows, r => r.Delivered);
                plot.Title(t["Chart.IntakeTitle"]);
                plot.YLabel(t["Chart.ParcelsPerDay"]);
                break;
            case "rates":
                Shade(plot, season);
                var groups = Groups(rows).ToList();
                foreach (var group in groups)
                {
                    var who = groups.Count > 1 ? $"{group.Key} · " : "";
                    Line(plot, who + t["Chart.LossLegend"], group.Select(r => (r.ReportDate!.Value, r.LossPer10k)));
                    Line(plot, who + t["Chart.ComplaintsLegend"], group.Select(r => (r.ReportDate!.Value, r.ComplaintsPer10k)));
                }
                foreach (var group in groups)
                {
                    partial.Mark(plot, group, r => r.LossPer10k);
                    partial.Mark(plot, group, r => r.ComplaintsPer10k);
                }
                plot.Title(t["Chart.RatesTitle"]);
                plot.YLabel(MetricCatalogue.LossPer10k.Axis(t));
                break;
            case "overlay":
                var several = Groups(rows).Skip(1).Any();
                foreach (var seasonRows in rows.GroupBy(r => r.Season).OrderBy(g => g.Key))
                {
                    foreach (var group in Groups([.. seasonRows]))
                    {
                        var byOffset = group.OrderBy(r => r.TetOffset).Select(r => ((double)r.TetOffset!.Value, metric.Of(r))).ToList();
                        var scatter = plot.Add.Scatter(byOffset.Select(p => p.Item1).ToArray(), byOffset.Select(p => p.Item2 ?? double.NaN).ToArray());
                        scatter.LegendText = several ? $"{seasonRows.Key} · {group.Key}" : $"{seasonRows.Key}";
                        scatter.LineWidth = 2;
                        scatter.MarkerSize = 3;
                    }
                }
                var tet = plot.Add.VerticalLine(0);
                tet.Color = Colors.Red;
                tet.LinePattern = LinePattern.Dashed;
                plot.Title(t["Chart.OverlayTitle", metric.Name(t)]);
                plot.XLabel(t["Chart.TetAxis"]);
                plot.YLabel(metric.Axis(t));
                break;
            case "heatmap":
                Heatmap(plot, HeatmapGrid.From(rows, metric, scale), t, request.English ? Translations.English : Translations.Vietnamese);
                plot.Title(t["Chart.HeatmapTitle", metric.Name(t)]);
                break;
        }
        if (request.Kind is "backlog" or "intake" or "rates")
        {
            if (season is null)
                plot.Axes.DateTimeTicksBottom().TickGenerator = new ScottPlot.TickGenerators.DateTimeAutomatic
                {
                    LabelFormatter = day => day.ToString("dd/MM", CultureInfo.InvariantCulture),
                };
            else
                plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ChartTicks.Lunar(season, request.Width)
                    .Select(t => new Tick(t.Day.ToDateTime(TimeOnly.MinValue).ToOADate(), t.Label)).ToArray());
            Tet(plot, season);
            Mark(plot, marks ?? [], LastDay(rows, season), t);
        }
        if (rows.Count == 0)
            plot.Add.Annotation(t["Chart.NoFigures"]);
        plot.Font.Set(FontName);
        plot.Legend.Alignment = Alignment.UpperLeft;
        if (request.Kind != "heatmap")
            plot.ShowLegend();
        return plot;
    }

    private static IEnumerable<IGrouping<string, IndicatorRow>> Groups(IReadOnlyList<IndicatorRow> rows) =>
        rows.GroupBy(r => r.CarrierCode ?? r.UnitCode ?? r.ProvinceCode ?? "").OrderBy(g => g.Key, StringComparer.Ordinal);

    private static IEnumerable<(DateOnly, double?)> Sum(IReadOnlyList<IndicatorRow> rows, Func<IndicatorRow, long> value) =>
        rows.GroupBy(r => r.ReportDate!.Value).Select(g => (g.Key, (double?)g.Sum(value)));

    /// <summary>The colour of each band, on the image (the pages' CSS uses the same).</summary>
    public static readonly IReadOnlyDictionary<ColourBand, Color> BandColours = new Dictionary<ColourBand, Color>
    {
        [ColourBand.Ok] = Color.FromHex("#a8d5b1"),
        [ColourBand.Warning] = Color.FromHex("#f2c14e"),
        [ColourBand.Critical] = Color.FromHex("#b3261e"),
        [ColourBand.Off] = Color.FromHex("#d9dee5"),
    };

    /// <summary>The bands in the order of their intensities on the heatmap (0, 1, 2, 3).</summary>
    private static readonly ColourBand[] BandOrder = [ColourBand.Ok, ColourBand.Warning, ColourBand.Critical, ColourBand.Off];

    /// <summary>One colour per band: the heatmap's intensities are band indexes, spread over 0 … 1 by its manual range.</summary>
    private sealed class BandColormap : IColormap
    {
        public string Name => "Alert bands";

        public Color GetColor(double normalizedIntensity) =>
            BandColours[BandOrder[Math.Clamp((int)Math.Round(normalizedIntensity * (BandOrder.Length - 1)), 0, BandOrder.Length - 1)]];
    }

    /// <summary>
    /// With alert thresholds for the metric (<see cref="ColourScale"/>), each cell takes its band's colour by the
    /// threshold in force on its day, and a legend below names each band with its threshold. Without, the colours
    /// run from the lowest value to the 95th percentile of the season's figures; cells above it take the top colour,
    /// and the colour bar says so and that no threshold stands behind it. A cell without a figure stays NaN, which
    /// ScottPlot leaves transparent.
    /// </summary>
    private static void Heatmap(Plot plot, HeatmapGrid grid, IStringLocalizer<Text> t, CultureInfo culture)
    {
        // Nothing known (a season before its first report): an empty chart, as ScottPlot cannot scale colours to no value.
        if (grid.Units.Count == 0 || grid.Days.Count == 0 || grid.Min is null)
            return;
        if (grid.ByRules)
        {
            var bands = new double[grid.Units.Count, grid.Days.Count];
            for (var u = 0; u < grid.Units.Count; u++)
                for (var d = 0; d < grid.Days.Count; d++)
                    bands[u, d] = grid.BandAt(u, d) is var band && band != ColourBand.None ? Array.IndexOf(BandOrder, band) : double.NaN;
            var banded = plot.Add.Heatmap(bands);
            banded.Colormap = new BandColormap();
            banded.ManualRange = new ScottPlot.Range(0, BandOrder.Length - 1);
            foreach (var key in grid.Scale!.Legend(t, culture))
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = key.Text, FillColor = BandColours[key.Band], OutlineColor = Colors.Gray, OutlineWidth = 1 });
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = t["Heatmap.Band.Empty"], FillColor = Colors.White, OutlineColor = Colors.Gray, OutlineWidth = 1 });
            // Below the chart rather than over its cells.
            plot.ShowLegend(Edge.Bottom);
        }
        else
        {
            var heatmap = plot.Add.Heatmap(grid.Values);
            heatmap.Colormap = new ScottPlot.Colormaps.Turbo();
            var bar = plot.Add.ColorBar(heatmap);
            bar.Label = t["Heatmap.Distribution"];
            if (grid is { Min: { } min, Clip: { } clip, Max: { } max } && clip > min && clip < max)
            {
                heatmap.ManualRange = new ScottPlot.Range(min, clip);
                bar.Label += " · " + t["Chart.HeatmapClip", grid.Metric.Format(clip, culture)];
            }
            bar.LabelStyle.FontSize = 12;
            bar.LabelStyle.Bold = false;
        }
        var days = grid.Days;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            days.Select((day, i) => (day, i)).Where(x => x.i % Math.Max(1, days.Count / 10) == 0)
                .Select(x => new Tick(x.i, x.day.ToString("dd/MM", CultureInfo.InvariantCulture))).ToArray());
        var units = grid.Units;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            units.Select((unit, i) => (unit.Code, i)).Where(x => x.i % Math.Max(1, units.Count / 25) == 0)
                .Select(x => new Tick(units.Count - 1 - x.i, x.Code)).ToArray());
    }

    /// <summary>
    /// Days whose reports are still arriving: a hollow grey ring around their points, named once in the legend, so that
    /// a morning's first reports never read as the day's whole picture.
    /// </summary>
    private sealed class PartialDays(string legend, double completeShare)
    {
        private bool named;

        public static bool IsPartial(long reports, long expected, double share) => expected > 0 && reports < share * expected - 1e-9;

        public void Mark(Plot plot, IEnumerable<IndicatorRow> rows, Func<IndicatorRow, double?> value) =>
            Draw(plot, rows.Where(r => IsPartial(r.Reports, r.ReportsExpected, completeShare)).Select(r => (r.ReportDate!.Value, value(r))));

        public void MarkSums(Plot plot, IReadOnlyList<IndicatorRow> rows, Func<IndicatorRow, long> value) =>
            Draw(plot, rows.GroupBy(r => r.ReportDate!.Value)
                .Where(day => IsPartial(day.Sum(r => (long)r.Reports), day.Sum(r => r.ReportsExpected), completeShare))
                .Select(day => (day.Key, (double?)day.Sum(value))));

        private void Draw(Plot plot, IEnumerable<(DateOnly Day, double? Value)> points)
        {
            var known = points.Where(p => p.Value is not null).ToList();
            if (known.Count == 0)
                return;
            var rings = plot.Add.Scatter(known.Select(p => p.Day.ToDateTime(TimeOnly.MinValue)).ToArray(), known.Select(p => p.Value!.Value).ToArray());
            rings.LineWidth = 0;
            rings.MarkerShape = MarkerShape.OpenCircle;
            rings.MarkerSize = 11;
            rings.Color = Color.FromHex("#555555");
            if (!named)
                rings.LegendText = legend;
            named = true;
        }
    }

    /// <summary>A day nobody reported is a gap in the line, never a zero.</summary>
    private static void Line(Plot plot, string label, IEnumerable<(DateOnly Day, double? Value)> points, LinePattern? pattern = null)
    {
        var ordered = points.OrderBy(p => p.Day).ToList();
        if (ordered.Count == 0)
            return;
        var scatter = plot.Add.Scatter(ordered.Select(p => p.Day.ToDateTime(TimeOnly.MinValue)).ToArray(), ordered.Select(p => p.Value ?? double.NaN).ToArray());
        scatter.LegendText = label;
        scatter.LineWidth = 2;
        scatter.MarkerSize = 3;
        if (pattern is { } linePattern)
            scatter.LinePattern = linePattern;
    }

    private static void Shade(Plot plot, Season? season)
    {
        if (season is null)
            return;
        foreach (var phase in season.Phases)
        {
            var span = plot.Add.HorizontalSpan(season.TetDate.AddDays(phase.FromOffset).ToDateTime(TimeOnly.MinValue).ToOADate() - 0.5,
                season.TetDate.AddDays(phase.ToOffset).ToDateTime(TimeOnly.MinValue).ToOADate() + 0.5);
            span.FillColor = (PhaseColours.TryGetValue(phase.Code, out var colour) ? colour : Colors.LightGray).WithAlpha(0.5);
            span.LineColor = Colors.Transparent;
        }
    }

    /// <summary>The chart's last day: its last day with figures, within the season.</summary>
    private static DateOnly? LastDay(IReadOnlyList<IndicatorRow> rows, Season? season)
    {
        var last = rows.Where(r => r.ReportDate is not null).Select(r => r.ReportDate!.Value).DefaultIfEmpty().Max();
        if (last == default)
            return null;
        return season is not null && last > season.To ? season.To : last;
    }

    /// <summary>
    /// Thin lines where an alert began to fire (orange) or figures were corrected (blue, dotted); a shaded band over an
    /// incident's affected days, with its short label at its start. One legend entry per kind, however many marks.
    /// </summary>
    private static void Mark(Plot plot, IReadOnlyList<ChartMark> marks, DateOnly? lastDay, IStringLocalizer<Text> t)
    {
        foreach (var kind in marks.Where(m => m.Kind != "incident").GroupBy(m => m.Kind))
        {
            var first = true;
            foreach (var mark in kind.DistinctBy(m => m.Day))
            {
                var line = plot.Add.VerticalLine(mark.Day.ToDateTime(TimeOnly.MinValue).ToOADate());
                line.Color = kind.Key == "alert" ? Colors.DarkOrange : Colors.SteelBlue;
                line.LineWidth = 1;
                line.LinePattern = kind.Key == "alert" ? LinePattern.Solid : LinePattern.Dotted;
                if (first)
                    line.LegendText = kind.Key == "alert" ? t["Chart.AlertFired"] : t["Chart.FiguresCorrected"];
                first = false;
            }
        }
        Incidents(plot, [.. marks.Where(m => m.Kind == "incident").OrderBy(m => m.Day)], lastDay, t);
    }

    private static void Incidents(Plot plot, IReadOnlyList<ChartMark> incidents, DateOnly? lastDay, IStringLocalizer<Text> t)
    {
        for (var k = 0; k < incidents.Count; k++)
        {
            var incident = incidents[k];
            // An open incident runs to the chart's last day, never before its own first day.
            var end = incident.To ?? lastDay ?? incident.Day;
            if (end < incident.Day)
                end = incident.Day;
            var band = plot.Add.HorizontalSpan(incident.Day.ToDateTime(TimeOnly.MinValue).ToOADate() - 0.5, end.ToDateTime(TimeOnly.MinValue).ToOADate() + 0.5);
            band.FillColor = Colors.DarkMagenta.WithAlpha(0.14);
            band.LineColor = Colors.DarkMagenta.WithAlpha(0.5);
            band.LineWidth = 1;
            band.LinePattern = LinePattern.DenselyDashed;
            if (k == 0)
                band.LegendText = t["Chart.Incident"];
            // The words sit on a thin line at the band's start, inside the top edge, staggered so that bands a day apart stay legible.
            var start = plot.Add.VerticalLine(incident.Day.ToDateTime(TimeOnly.MinValue).ToOADate() - 0.5);
            start.Color = Colors.DarkMagenta;
            start.LineWidth = 1;
            start.LinePattern = LinePattern.DenselyDashed;
            start.Text = incident.Label.Length > 32 ? incident.Label[..31].TrimEnd() + "…" : incident.Label;
            start.LabelFontName = FontName;
            start.LabelOppositeAxis = true;
            start.LabelOffsetY = 44 + 22 * (k % 3);
        }
    }

    private static void Tet(Plot plot, Season? season)
    {
        if (season is null)
            return;
        var line = plot.Add.VerticalLine(season.TetDate.ToDateTime(TimeOnly.MinValue).ToOADate());
        line.Color = Colors.Red;
        line.LinePattern = LinePattern.Dashed;
        line.Text = "Tết";
        line.LabelFontName = FontName;
        // Just inside the top edge: at the bottom the label would cover Tết's own date tick, above it the title.
        line.LabelOppositeAxis = true;
        line.LabelOffsetY = 22;
    }
}
