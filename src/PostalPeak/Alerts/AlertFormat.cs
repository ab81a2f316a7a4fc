using System.Globalization;

namespace PostalPeak.Alerts;

/// <summary>How a metric's value reads on a page, in the current culture.</summary>
public static class AlertFormat
{
    public static string Value(string metric, double? value) => Value(metric, value, CultureInfo.CurrentCulture);

    /// <summary>As on a page in <paramref name="culture"/>, for text drawn where the request's culture is not at hand (charts).</summary>
    public static string Value(string metric, double? value, CultureInfo culture) => value switch
    {
        null => "–",
        _ when metric == "missing_report" => "",
        { } v when metric is "throughput_ratio" or "clearance_rate" => v.ToString("P0", culture),
        { } v when Math.Abs(v - Math.Round(v)) < 1e-9 => v.ToString("N0", culture),
        { } v => v.ToString("N1", culture),
    };
}
