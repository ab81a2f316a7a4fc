using System.Globalization;
using PostalPeak.Calendar;

namespace PostalPeak.Dashboard;

/// <summary>A tick on a time chart's date axis: the day, labelled dd/MM with its lunar day on a second line.</summary>
public sealed record DateTick(DateOnly Day, string Label);

/// <summary>
/// Where a season's time charts put their date ticks: on Tết day and every 7 days either side of it, so that a
/// week before Tết reads the same in every season; every 14, 21, … days when the chart is too narrow for the labels.
/// </summary>
public static class ChartTicks
{
    // DejaVu Sans at ScottPlot's 12 px tick size runs under 7 px a character; the gap keeps neighbours apart.
    private const double PixelsPerCharacter = 7;
    private const double Gap = 10;

    // What the left axis (numbers and its label) and the right margin take from the image's width.
    private const int AxesWidth = 110;

    public static IReadOnlyList<DateTick> Lunar(Season season, int width)
    {
        var span = season.ToOffset - season.FromOffset + 1;
        var pixelsPerDay = Math.Max(1, width - AxesWidth) / (double)span;
        for (var step = 7; ; step += 7)
        {
            var first = (int)Math.Ceiling(season.FromOffset / (double)step) * step;
            var ticks = Enumerable.Range(0, (season.ToOffset - first) / step + 1)
                .Select(i => Tick(season.TetDate.AddDays(first + i * step))).ToList();
            var widest = ticks.Max(t => t.Label.Split('\n').Max(line => line.Length));
            if (step * pixelsPerDay >= widest * PixelsPerCharacter + Gap || step >= span)
                return ticks;
        }
    }

    // The lunar label is Vietnamese in English too, as on the calendar page: these are the names of the days.
    private static DateTick Tick(DateOnly day) =>
        new(day, $"{day.ToString("dd/MM", CultureInfo.InvariantCulture)}\n{VietnameseNames.ShortLabel(LunarCalendar.ToLunar(day))}");
}
