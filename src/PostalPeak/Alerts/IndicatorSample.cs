namespace PostalPeak.Alerts;

/// <summary>The indicator values a rule can watch, for one carrier, unit and reported day.</summary>
public sealed record IndicatorSample
{
    /// <summary>The daily_indicator columns behind the metrics (their names are the metric names).</summary>
    public static readonly string[] Columns =
    [
        "days_to_clear", "throughput_ratio", "clearance_rate", "backlog_growth", "closing", "unaccounted",
        "loss_per_10k", "damage_per_10k", "lost", "damaged", "returned", "complaints_per_10k", "open_complaints",
    ];

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

    private long? Base(string metric) => metric switch
    {
        "loss_per_10k" or "damage_per_10k" => Handled,
        "complaints_per_10k" => WindowComplaintBase,
        "throughput_ratio" or "days_to_clear" => WindowReceived,
        _ => null,
    };

    public double? Value(string metric) => metric switch
    {
        "days_to_clear" => DaysToClear,
        "throughput_ratio" => ThroughputRatio,
        "clearance_rate" => ClearanceRate,
        "backlog_growth" => BacklogGrowth,
        "closing" => Closing,
        "unaccounted" => Unaccounted,
        "loss_per_10k" => LossPer10k,
        "damage_per_10k" => DamagePer10k,
        "lost" => Lost,
        "damaged" => Damaged,
        "returned" => Returned,
        "complaints_per_10k" => ComplaintsPer10k,
        "open_complaints" => OpenComplaints,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Not an indicator metric."),
    };
}
