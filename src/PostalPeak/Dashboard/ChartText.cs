using System.Globalization;
using Microsoft.Extensions.Localization;
using PostalPeak.Alerts;
using PostalPeak.Indicators;
using PostalPeak.Shell;

namespace PostalPeak.Dashboard;

/// <summary>
/// The text alternative of each chart: one sentence from the figures the chart is drawn from, for a screen reader
/// or a page whose images did not load. Numbers in the page's culture.
/// </summary>
public static class ChartText
{
    private static string Day(DateOnly? day) => day?.ToString("dd/MM", CultureInfo.InvariantCulture) ?? "–";

    private static string Count(long value) => value.ToString("N0", CultureInfo.CurrentCulture);

    private static string Offset(int offset) => offset == 0 ? "T" : offset > 0 ? $"T+{offset}" : $"T{offset}";

    public static string MetricName(IStringLocalizer<Text> t, string metric) => metric switch
    {
        "closing" => t["Indicators.Closing"],
        "days_to_clear" => t["Indicators.DaysToClear"],
        "throughput_ratio" => t["Indicators.Throughput"],
        "received" => t["Indicators.Received"],
        "loss_per_10k" => t["Indicators.LossPer10k"],
        "complaints_per_10k" => t["Indicators.ComplaintsPer10k"],
        _ => metric,
    };

    /// <summary>The overview's backlog chart: one line per carrier.</summary>
    public static string Overview(IStringLocalizer<Text> t, IReadOnlyList<IndicatorRow> days)
    {
        var highest = days.Where(r => r.Closing is not null).MaxBy(r => r.Closing);
        if (highest is null)
            return t["Dashboard.NoFiguresAlt", t["Dashboard.Backlog"]];
        return t["Dashboard.OverviewAlt", t["Dashboard.Backlog"], Day(days.Min(r => r.ReportDate)), Day(days.Max(r => r.ReportDate)),
            highest.CarrierCode ?? "", Count(highest.Closing!.Value), Day(highest.ReportDate)];
    }

    /// <summary>A series page's charts (backlog, intake, rates) of the province, a carrier or a unit: one row a day.</summary>
    public static string Series(IStringLocalizer<Text> t, string kind, string what, IReadOnlyList<IndicatorRow> days)
    {
        if (days.Count == 0)
            return t["Dashboard.NoFiguresAlt", what];
        var from = Day(days.Min(r => r.ReportDate));
        var to = Day(days.Max(r => r.ReportDate));
        switch (kind)
        {
            case "backlog":
                var highest = days.Where(r => r.Closing is not null).MaxBy(r => r.Closing);
                var last = days.MaxBy(r => r.ReportDate)!;
                return t["Dashboard.BacklogAlt", what, from, to, highest is null ? "–" : Count(highest.Closing!.Value), Day(highest?.ReportDate),
                    last.Closing is { } closing ? Count(closing) : "–"];
            case "intake":
                var busiest = days.MaxBy(r => r.Received)!;
                return t["Dashboard.IntakeAlt", what, from, to, Count(days.Sum(r => r.Received)), Count(days.Sum(r => r.Delivered)), Day(busiest.ReportDate), Count(busiest.Received)];
            default:
                var lost = days.Where(r => r.LossPer10k is not null).MaxBy(r => r.LossPer10k);
                var complaints = days.Where(r => r.ComplaintsPer10k is not null).MaxBy(r => r.ComplaintsPer10k);
                return t["Dashboard.RatesAlt", what, from, to, AlertFormat.Value("loss_per_10k", lost?.LossPer10k), Day(lost?.ReportDate),
                    AlertFormat.Value("complaints_per_10k", complaints?.ComplaintsPer10k), Day(complaints?.ReportDate)];
        }
    }

    /// <summary>The seasons overlaid on the Tết axis: each season's highest value and the day from Tết it came on.</summary>
    public static string Compare(IStringLocalizer<Text> t, string metric, string what, IReadOnlyList<IndicatorRow> rows)
    {
        var seasons = rows.GroupBy(r => r.Season!.Value).OrderBy(g => g.Key)
            .Select(g => (Season: g.Key, Highest: g.Select(r => (r.TetOffset, Value: Charts.Metric(metric, r))).Where(x => x.Value is not null).MaxBy(x => x.Value)))
            .Where(s => s.Highest.Value is not null)
            .Select(s => t["Dashboard.CompareAltSeason", s.Season, AlertFormat.Value(metric, s.Highest.Value), Offset(s.Highest.TetOffset ?? 0)].Value)
            .ToList();
        return seasons.Count == 0
            ? t["Dashboard.NoFiguresAlt", MetricName(t, metric)]
            : t["Dashboard.CompareAlt", MetricName(t, metric), what, string.Join("; ", seasons)];
    }

    public static string Heatmap(IStringLocalizer<Text> t, HeatmapGrid grid, string? carrier)
    {
        var who = carrier ?? t["Dashboard.AllCarriers"].Value;
        if (grid.Worst is not { } worst)
            return t["Dashboard.NoFiguresAlt", $"{MetricName(t, grid.Metric)} · {who}"];
        return t["Dashboard.HeatmapAlt", MetricName(t, grid.Metric), who, grid.Units.Count, grid.Days.Count, Day(grid.Days[0]), Day(grid.Days[^1]),
            $"{worst.UnitName} ({worst.UnitCode})", Day(worst.Day), AlertFormat.Value(grid.Metric, worst.Value)];
    }
}
