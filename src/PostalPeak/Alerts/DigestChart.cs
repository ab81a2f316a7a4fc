using System.Globalization;
using ScottPlot;

namespace PostalPeak.Alerts;

/// <summary>One line of the digest chart: a closing backlog per report day (null on a day nobody reported).</summary>
public sealed record DigestSeries(string Label, IReadOnlyList<(DateOnly Day, long? Closing)> Points, bool Total = false);

/// <summary>
/// The chart attached to the daily digest: closing backlog per day over the season (or the last 30 days),
/// one line per carrier and the province total, dates as dd/MM, a marker at Tết. Rendered with ScottPlot on
/// SkiaSharp; text needs fontconfig and a font (DejaVu Sans on Debian), which a test checks.
/// </summary>
public static class DigestChart
{
    public const int Width = 1000;
    public const int Height = 500;
    public const string ContentType = "image/png";

    /// <summary>The same on every machine with DejaVu Sans; it also covers every Vietnamese letter.</summary>
    public const string FontName = "DejaVu Sans";

    private static readonly CultureInfo Vi = CultureInfo.GetCultureInfo("vi-VN");

    /// <summary>Renders the chart as PNG bytes. <paramref name="from"/>…<paramref name="to"/> is the x axis, whatever the data covers.</summary>
    public static byte[] RenderPng(string title, DateOnly from, DateOnly to, DateOnly? tetDate, IReadOnlyList<DigestSeries> series,
        bool withText = true)
    {
        ArgumentNullException.ThrowIfNull(series);
        using var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var index = 0;
        foreach (var line in series)
        {
            var color = line.Total ? Colors.Black : palette.GetColor(index++);
            var labelled = false;
            // A day nobody reported is a gap, never a zero: each run of known days is its own segment.
            foreach (var segment in Segments(line.Points))
            {
                var scatter = plot.Add.Scatter(segment.Select(p => p.Day.ToDateTime(TimeOnly.MinValue)).ToArray(),
                    segment.Select(p => (double)p.Closing).ToArray());
                scatter.Color = color;
                scatter.LineWidth = line.Total ? 3 : 2;
                scatter.MarkerSize = segment.Count == 1 ? 5 : 3;
                if (withText && !labelled)
                {
                    scatter.LegendText = line.Label;
                    labelled = true;
                }
            }
        }

        var start = from.ToDateTime(TimeOnly.MinValue).ToOADate();
        var end = to.ToDateTime(TimeOnly.MinValue).ToOADate();
        var top = Math.Max(10, series.SelectMany(s => s.Points).Select(p => p.Closing ?? 0).DefaultIfEmpty(0).Max() * 1.15);
        if (tetDate is { } tet)
        {
            var x = tet.ToDateTime(TimeOnly.MinValue).ToOADate();
            var marker = plot.Add.VerticalLine(x);
            marker.Color = Colors.Red;
            marker.LineWidth = 1.5f;
            marker.LinePattern = LinePattern.Dashed;
            if (withText)
            {
                // Inside the data area, beside the line's top: above the frame it would collide with the title.
                var label = plot.Add.Text(" Tết", x, top);
                label.LabelFontName = FontName;
                label.LabelFontSize = 14;
                label.LabelBold = true;
                label.LabelFontColor = Colors.Red;
                label.LabelAlignment = Alignment.UpperLeft;
            }
        }

        // The default labels are in US order (MM/dd); the department reads dd/MM.
        plot.Axes.DateTimeTicksBottom().TickGenerator = new ScottPlot.TickGenerators.DateTimeAutomatic
        {
            LabelFormatter = day => withText ? day.ToString("dd/MM", CultureInfo.InvariantCulture) : "",
        };
        var left = new ScottPlot.TickGenerators.NumericAutomatic
        {
            LabelFormatter = value => withText ? value.ToString("#,##0", Vi) : "",
        };
        plot.Axes.Left.TickGenerator = left;
        plot.Axes.SetLimitsX(start - 0.5, end + 0.5);
        plot.Axes.SetLimitsY(0, top);

        if (withText)
        {
            plot.Title(title);
            plot.YLabel(DigestMessages.ChartAxis);
            plot.Legend.Alignment = Alignment.UpperLeft;
            plot.ShowLegend();
        }
        plot.Font.Set(FontName);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    internal static IEnumerable<List<(DateOnly Day, long Closing)>> Segments(IEnumerable<(DateOnly Day, long? Closing)> points)
    {
        var current = new List<(DateOnly Day, long Closing)>();
        DateOnly? previous = null;
        foreach (var (day, closing) in points.OrderBy(p => p.Day))
        {
            if (closing is null || (previous is { } last && day.DayNumber - last.DayNumber > 1))
            {
                if (current.Count > 0)
                    yield return current;
                current = [];
            }
            if (closing is { } known)
            {
                current.Add((day, known));
                previous = day;
            }
            else
                previous = null;
        }
        if (current.Count > 0)
            yield return current;
    }
}
