using System.Globalization;
using Microsoft.Extensions.Localization;
using PostalPeak.Shell;

namespace PostalPeak.Indicators;

/// <summary>How a metric is counted, which decides how its values read.</summary>
public enum MetricUnit
{
    Parcels,
    Complaints,
    Ratio,
    Days,
    Per10k,
}

/// <summary>Which way is good news, for colours and for the side of a heatmap scale that is bad.</summary>
public enum MetricDirection
{
    Neutral,
    HigherIsBetter,
    LowerIsBetter,
}

/// <summary>
/// Which rows a figure stands on: a report day, or a period (a phase or a whole season). A metric with a trailing
/// window (<see cref="Metric.TrailingDays"/>) is computed differently on each, so each reading has its own name.
/// </summary>
public enum MetricReading
{
    Day,
    Phase,
    Season,
}

/// <summary>
/// One indicator or rule metric: its code (the API field, CSV column and rule metric, design section 4) and
/// what a person reads about it. The names, one-sentence definitions and axis labels live in Text.resx under
/// <c>Metric.{code}</c>, <c>Metric.{code}.Definition</c> and <c>Metric.{code}.Axis</c>; the glossary page's formula and
/// window under <c>Metric.{code}.Formula</c> and <c>Metric.{code}.Window</c>.
/// </summary>
/// <param name="TrailingDays">
/// On a day row, the figure is taken over this many calendar days ending that day (d−2 … d for 3); on a phase or
/// season row, over the whole period instead. 0: the figure is the day's own (summed, or taken at an edge, over a period).
/// </param>
public sealed record Metric(string Code, MetricUnit Unit, MetricDirection Direction, bool IsStock = false, int TrailingDays = 0)
{
    public string Name(IStringLocalizer<Text> t) => t[$"Metric.{Code}"];

    public string Definition(IStringLocalizer<Text> t) => t[$"Metric.{Code}.Definition"];

    /// <summary>True when a day row and a period row compute this metric differently, so that they need two names.</summary>
    public bool ReadsDifferentlyOverAPeriod => TrailingDays > 0;

    /// <summary>
    /// The name of the figure as a row of that reading holds it: "Số ngày giải tỏa (nhịp 3 ngày)" on a day,
    /// "… (cả giai đoạn)" on a phase, "… (cả mùa)" on a season. A metric computed alike on both keeps its one name.
    /// </summary>
    public string Name(IStringLocalizer<Text> t, MetricReading reading) =>
        ReadsDifferentlyOverAPeriod ? t[$"Metric.{Code}.{reading}"] : Name(t);

    /// <summary>The definition of the figure in that reading: a period's own for a metric with a trailing window.</summary>
    public string Definition(IStringLocalizer<Text> t, MetricReading reading) =>
        ReadsDifferentlyOverAPeriod && reading != MetricReading.Day ? t[$"Metric.{Code}.PeriodDefinition"] : Definition(t);

    /// <summary>How the figure is computed, in plain words (the glossary page).</summary>
    public string Formula(IStringLocalizer<Text> t) => t[$"Metric.{Code}.Formula"];

    /// <summary>Which days the figure covers, on a day row and on a period row (the glossary page).</summary>
    public string Window(IStringLocalizer<Text> t) => t[$"Metric.{Code}.Window"];

    public string Axis(IStringLocalizer<Text> t) => t[$"Metric.{Code}.Axis"];

    /// <summary>A value as it reads on a page in the current culture; a dash when unknown.</summary>
    public string Format(double? value) => Format(value, CultureInfo.CurrentCulture);

    public string Format(double? value, CultureInfo culture) => value switch
    {
        null => "–",
        { } v when Unit == MetricUnit.Ratio => v.ToString("P0", culture),
        { } v when Math.Abs(v - Math.Round(v)) < 1e-9 => v.ToString("N0", culture),
        { } v => v.ToString("N1", culture),
    };

    /// <summary>A roll-up row's figure of this metric; null for a rule-only metric, which no row carries.</summary>
    public double? Of(IndicatorRow row) => MetricCatalogue.RowValues.TryGetValue(Code, out var value) ? value(row) : null;

    public override string ToString() => Code;
}

/// <summary>Every metric PostalPeak names, in one place: pages, charts, alerts, e-mails and exports read them here.</summary>
public static class MetricCatalogue
{
    public static readonly Metric Received = new("received", MetricUnit.Parcels, MetricDirection.Neutral);
    public static readonly Metric Delivered = new("delivered", MetricUnit.Parcels, MetricDirection.HigherIsBetter);
    public static readonly Metric Returned = new("returned", MetricUnit.Parcels, MetricDirection.LowerIsBetter);
    public static readonly Metric Lost = new("lost", MetricUnit.Parcels, MetricDirection.LowerIsBetter);
    public static readonly Metric Damaged = new("damaged", MetricUnit.Parcels, MetricDirection.LowerIsBetter);
    public static readonly Metric Backlog = new("backlog", MetricUnit.Parcels, MetricDirection.LowerIsBetter, IsStock: true);
    public static readonly Metric ComplaintsReceived = new("complaints_received", MetricUnit.Complaints, MetricDirection.LowerIsBetter);
    public static readonly Metric ComplaintsResolved = new("complaints_resolved", MetricUnit.Complaints, MetricDirection.HigherIsBetter);
    public static readonly Metric Opening = new("opening", MetricUnit.Parcels, MetricDirection.LowerIsBetter, IsStock: true);
    public static readonly Metric Closing = new("closing", MetricUnit.Parcels, MetricDirection.LowerIsBetter, IsStock: true);
    public static readonly Metric FlowBacklog = new("flow_backlog", MetricUnit.Parcels, MetricDirection.LowerIsBetter);
    public static readonly Metric Unaccounted = new("unaccounted", MetricUnit.Parcels, MetricDirection.LowerIsBetter);
    public static readonly Metric BacklogGrowth = new("backlog_growth", MetricUnit.Parcels, MetricDirection.LowerIsBetter);
    public static readonly Metric OpenComplaints = new("open_complaints", MetricUnit.Complaints, MetricDirection.LowerIsBetter, IsStock: true);
    public static readonly Metric ThroughputRatio = new("throughput_ratio", MetricUnit.Ratio, MetricDirection.HigherIsBetter, TrailingDays: 3);
    public static readonly Metric ClearanceRate = new("clearance_rate", MetricUnit.Ratio, MetricDirection.HigherIsBetter);
    public static readonly Metric DaysToClear = new("days_to_clear", MetricUnit.Days, MetricDirection.LowerIsBetter, TrailingDays: 3);
    public static readonly Metric LossPer10k = new("loss_per_10k", MetricUnit.Per10k, MetricDirection.LowerIsBetter);
    public static readonly Metric DamagePer10k = new("damage_per_10k", MetricUnit.Per10k, MetricDirection.LowerIsBetter);
    public static readonly Metric ComplaintsPer10k = new("complaints_per_10k", MetricUnit.Per10k, MetricDirection.LowerIsBetter, TrailingDays: 3);

    /// <summary>A rule metric only: the days a carrier or unit went without a report.</summary>
    public static readonly Metric MissingReport = new("missing_report", MetricUnit.Days, MetricDirection.LowerIsBetter);

    /// <summary>A rule metric only: the run-up and holiday days a carrier has no duty roster for (Duty.DutyRosters).</summary>
    public static readonly Metric DutyRosterMissing = new("duty_roster_missing", MetricUnit.Days, MetricDirection.LowerIsBetter);

    /// <summary>The indicator fields of the API and CSV exports, in their documented order.</summary>
    public static readonly IReadOnlyList<Metric> Indicators =
    [
        Received, Delivered, Returned, Lost, Damaged, Backlog, ComplaintsReceived, ComplaintsResolved, Opening, Closing, FlowBacklog,
        Unaccounted, ThroughputRatio, ClearanceRate, DaysToClear, LossPer10k, DamagePer10k, ComplaintsPer10k, OpenComplaints, BacklogGrowth,
    ];

    /// <summary>What an alert rule can watch: daily_indicator columns, and the missing-report count.</summary>
    public static readonly IReadOnlyList<Metric> RuleMetrics =
    [
        DaysToClear, ThroughputRatio, ClearanceRate, BacklogGrowth, Closing, Unaccounted,
        LossPer10k, DamagePer10k, Lost, Damaged, Returned, ComplaintsPer10k, OpenComplaints, MissingReport, DutyRosterMissing,
    ];

    /// <summary>What the season comparison and the heatmap can draw.</summary>
    public static readonly IReadOnlyList<Metric> Charted = [Closing, DaysToClear, ThroughputRatio, Received, LossPer10k, ComplaintsPer10k];

    /// <summary>The figures of each carrier's tile on the overview.</summary>
    public static readonly IReadOnlyList<Metric> Tiles = [Closing, DaysToClear, ThroughputRatio, LossPer10k, ComplaintsPer10k];

    public static readonly IReadOnlyList<Metric> All = [.. Indicators, MissingReport, DutyRosterMissing];

    /// <summary>The rule metrics judged on days rather than on daily_indicator columns.</summary>
    public static bool IsDayCount(string code) => code == MissingReport.Code || code == DutyRosterMissing.Code;

    internal static readonly Dictionary<string, Func<IndicatorRow, double?>> RowValues = new(StringComparer.Ordinal)
    {
        [Received.Code] = r => r.Received, [Delivered.Code] = r => r.Delivered, [Returned.Code] = r => r.Returned, [Lost.Code] = r => r.Lost,
        [Damaged.Code] = r => r.Damaged, [Backlog.Code] = r => r.Backlog, [ComplaintsReceived.Code] = r => r.ComplaintsReceived,
        [ComplaintsResolved.Code] = r => r.ComplaintsResolved, [Opening.Code] = r => r.Opening, [Closing.Code] = r => r.Closing,
        [FlowBacklog.Code] = r => r.FlowBacklog, [Unaccounted.Code] = r => r.Unaccounted, [BacklogGrowth.Code] = r => r.BacklogGrowth,
        [OpenComplaints.Code] = r => r.OpenComplaints, [ThroughputRatio.Code] = r => r.ThroughputRatio, [ClearanceRate.Code] = r => r.ClearanceRate,
        [DaysToClear.Code] = r => r.DaysToClear, [LossPer10k.Code] = r => r.LossPer10k, [DamagePer10k.Code] = r => r.DamagePer10k,
        [ComplaintsPer10k.Code] = r => r.ComplaintsPer10k,
    };

    /// <summary>
    /// Which reading a roll-up row is: a day row has its report date; a period row has none, and names its phase
    /// unless it covers the whole season.
    /// </summary>
    public static MetricReading ReadingOf(IndicatorRow row) =>
        row.ReportDate is not null ? MetricReading.Day : row.Phase is not null ? MetricReading.Phase : MetricReading.Season;

    private static readonly Dictionary<string, Metric> ByCode = All.ToDictionary(m => m.Code, StringComparer.OrdinalIgnoreCase);

    /// <summary>The metric of a code, whatever its case; null for a code PostalPeak does not know.</summary>
    public static Metric? Find(string? code) => code is null ? null : ByCode.GetValueOrDefault(code.Trim());

    /// <summary>The metric of a code known to be valid (stored rules, constants in code).</summary>
    public static Metric Get(string code) => Find(code) ?? throw new ArgumentOutOfRangeException(nameof(code), code, "Not a metric.");
}
