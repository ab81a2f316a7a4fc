using System.Globalization;
using System.Net;
using System.Text;

namespace PostalPeak.Dashboard;

/// <summary>
/// A small line chart as inline SVG, for pages that need a glance rather than an image: scales, a dashed
/// threshold, a Tết marker, dd/MM ends. Text is escaped; the numbers are formatted by the caller's culture.
/// </summary>
public static class SvgLineChart
{
    public sealed record Series(string Name, IReadOnlyList<(DateOnly Day, double Value)> Points, string Colour);

    private const double Width = 720, Height = 220, Left = 56, Right = 12, Top = 12, Bottom = 24;

    public static string Render(IReadOnlyList<Series> series, string label, Func<double, string> format, double? threshold = null, DateOnly? tet = null)
    {
        var points = series.SelectMany(s => s.Points).ToList();
        if (points.Count < 2)
            return "";
        var min = Math.Min(0, Math.Min(points.Min(p => p.Value), threshold ?? double.MaxValue));
        var max = Math.Max(points.Max(p => p.Value), threshold ?? double.MinValue);
        var span = max - min == 0 ? 1 : max - min;
        var first = points.Min(p => p.Day).DayNumber;
        var last = points.Max(p => p.Day).DayNumber;
        var days = Math.Max(1, last - first);
        string X(int dayNumber) => (Left + (Width - Left - Right) * (dayNumber - first) / days).ToString("0.#", CultureInfo.InvariantCulture);
        string Y(double value) => (Height - Bottom - (Height - Top - Bottom) * (value - min) / span).ToString("0.#", CultureInfo.InvariantCulture);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg class="series" viewBox="0 0 {Width} {Height}" role="img" aria-label="{WebUtility.HtmlEncode(label)}">""");
        if (threshold is { } t)
            svg.Append(CultureInfo.InvariantCulture, $"""<line class="threshold" x1="{Left}" x2="{Width - Right}" y1="{Y(t)}" y2="{Y(t)}" />""");
        if (tet is { } tetDay && tetDay.DayNumber >= first && tetDay.DayNumber <= last)
            svg.Append(CultureInfo.InvariantCulture, $"""<line class="tet" x1="{X(tetDay.DayNumber)}" x2="{X(tetDay.DayNumber)}" y1="{Top}" y2="{Height - Bottom}" /><text x="{X(tetDay.DayNumber)}" y="{Top + 10}">Tết</text>""");
        foreach (var line in series.Where(s => s.Points.Count > 0))
            svg.Append(CultureInfo.InvariantCulture, $"""<polyline style="stroke:{line.Colour}" points="{string.Join(" ", line.Points.OrderBy(p => p.Day).Select(p => X(p.Day.DayNumber) + "," + Y(p.Value)))}"><title>{WebUtility.HtmlEncode(line.Name)}</title></polyline>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="2" y="{Top + 10}">{WebUtility.HtmlEncode(format(max))}</text><text x="2" y="{Height - Bottom}">{WebUtility.HtmlEncode(format(min))}</text>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Left}" y="{Height - 6}">{DateOnly.FromDayNumber(first):dd/MM}</text><text x="{Width - Right - 34}" y="{Height - 6}">{DateOnly.FromDayNumber(last):dd/MM}</text>""");
        svg.Append("</svg>");
        return svg.ToString();
    }
}
