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
