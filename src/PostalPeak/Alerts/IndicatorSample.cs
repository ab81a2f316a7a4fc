using PostalPeak.Indicators;

namespace PostalPeak.Alerts;

/// <summary>The indicator values a rule can watch, for one carrier, unit and reported day.</summary>
public sealed record IndicatorSample
{
    /// <summary>The daily_indicator columns behind the rule metrics (a column is named by its metric's code).</summary>
    public static readonly string[] Columns = [.. MetricCatalogue.RuleMetrics.Where(m => !MetricCatalogue.IsDayCount(m.Code)).Select(m => m.Code)];

    public string UnitCode { get; init; } = "";
    public DateOnly ReportDate { get; init; }
    public double? DaysToClear { get; init; }
    public double? ThroughputRatio { get; init; }
    public double? ClearanceRate { get; init; }
    public long? BacklogGrowth { get; init; }
    public long? Closing { get; init; }
    public long? Unaccounted { get; init; }
    public double? LossPer10k { get; init; }
    public double? DamagePer10k { get; init; }
    public long? Lost { get; init; }
    public long? Damaged { get; init; }
    public long? Returned { get; init; }
    public double? ComplaintsPer10k { get; init; }
    public long? OpenComplaints { get; init; }
    /// <summary>Parcels handled that day (delivered + returned + lost): the base of the loss and damage rates.</summary>
    public long Handled { get; init; }
    public long? WindowReceived { get; init; }
    public long? WindowComplaintBase { get; init; }

    /// <summary>The columns read besides the metrics: the denominators of the rates.</summary>
    public const string BaseColumns = "delivered + coalesce(returned, 0) + coalesce(lost, 0) as handled, window_received, window_complaint_base";

    /// <summary>The value a rule judges, or null when the day is unknown or its rate rests on too few parcels.</summary>
    public double? Value(string metric, long? minBase) => minBase is { } least && Base(metric) is { } parcels && parcels < least ? null : Value(metric);

    private long? Base(string metric) => MetricCatalogue.Get(metric) switch
    {
        var m when m == MetricCatalogue.LossPer10k || m == MetricCatalogue.DamagePer10k => Handled,
        var m when m == MetricCatalogue.ComplaintsPer10k => WindowComplaintBase,
        var m when m == MetricCatalogue.ThroughputRatio || m == MetricCatalogue.DaysToClear => WindowReceived,
        _ => null,
    };

    private static readonly Dictionary<Metric, Func<IndicatorSample, double?>> Values = new()
    {
        [MetricCatalogue.DaysToClear] = s => s.DaysToClear, [MetricCatalogue.ThroughputRatio] = s => s.ThroughputRatio,
        [MetricCatalogue.ClearanceRate] = s => s.ClearanceRate, [MetricCatalogue.BacklogGrowth] = s => s.BacklogGrowth,
        [MetricCatalogue.Closing] = s => s.Closing, [MetricCatalogue.Unaccounted] = s => s.Unaccounted,
        [MetricCatalogue.LossPer10k] = s => s.LossPer10k, [MetricCatalogue.DamagePer10k] = s => s.DamagePer10k,
        [MetricCatalogue.Lost] = s => s.Lost, [MetricCatalogue.Damaged] = s => s.Damaged, [MetricCatalogue.Returned] = s => s.Returned,
        [MetricCatalogue.ComplaintsPer10k] = s => s.ComplaintsPer10k, [MetricCatalogue.OpenComplaints] = s => s.OpenComplaints,
    };

    public double? Value(string metric) => MetricCatalogue.Find(metric) is { } known && Values.TryGetValue(known, out var value)
        ? value(this)
        : throw new ArgumentOutOfRangeException(nameof(metric), metric, "Not an indicator metric.");
}
