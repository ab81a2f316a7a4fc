using System.Globalization;
using Microsoft.Extensions.Localization;
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
                return t["Dashboard.RatesAlt", what, from, to, MetricCatalogue.LossPer10k.Format(lost?.LossPer10k), Day(lost?.ReportDate),
                    MetricCatalogue.ComplaintsPer10k.Format(complaints?.ComplaintsPer10k), Day(complaints?.ReportDate)];
        }
    }

    /// <summary>The seasons overlaid on the Tết axis: each season's highest value and the day from Tết it came on.</summary>
    public static string Compare(IStringLocalizer<Text> t, string code, string what, IReadOnlyList<IndicatorRow> rows)
    {
        var metric = MetricCatalogue.Get(code);
        var seasons = rows.GroupBy(r => r.Season!.Value).OrderBy(g => g.Key)
            .Select(g => (Season: g.Key, Highest: g.Select(r => (r.TetOffset, Value: metric.Of(r))).Where(x => x.Value is not null)
                // A season whose rows all lack the metric (files without a backlog column) has no highest value.
                .DefaultIfEmpty().MaxBy(x => x.Value)))
            .Where(s => s.Highest.Value is not null)
            .Select(s => t["Dashboard.CompareAltSeason", s.Season, metric.Format(s.Highest.Value), Offset(s.Highest.TetOffset ?? 0)].Value)
            .ToList();
        return seasons.Count == 0
            ? t["Dashboard.NoFiguresAlt", metric.Name(t)]
            : t["Dashboard.CompareAlt", metric.Name(t), what, string.Join("; ", seasons)];
    }

    public static string Heatmap(IStringLocalizer<Text> t, HeatmapGrid grid, string? carrier)
    {
        var who = carrier ?? t["Dashboard.AllCarriers"].Value;
        if (grid.Worst is not { } worst)
            return t["Dashboard.NoFiguresAlt", $"{grid.Metric.Name(t)} · {who}"];
        return t["Dashboard.HeatmapAlt", grid.Metric.Name(t), who, grid.Units.Count, grid.Days.Count, Day(grid.Days[0]), Day(grid.Days[^1]),
            $"{worst.UnitName} ({worst.UnitCode})", Day(worst.Day), grid.Metric.Format(worst.Value)];
    }
}
