namespace PostalPeak.Alerts;

/// <summary>
/// What the alert evaluator decided to tell people about one alert: the outbox turns it into one message per
/// channel and recipient. Kind is firing, resolved or reminder; Sequence is 0, or the reminder's number, so
/// that each reminder is a message of its own and evaluating twice never sends one twice.
/// UnitCode '' means the whole carrier (e.g. a missing report).
/// </summary>
public sealed record AlertNotice(long AlertId, string Kind /* firing|resolved|reminder */, int Sequence /* 0, or reminder number */,
    string RuleCode, string RuleNameVi, string RuleNameEn, string Severity, string Metric, string Comparison, double Threshold,
    double? Value, string CarrierCode, string CarrierName, string UnitCode /* '' = whole carrier */, string? UnitName,
    DateOnly StartedOn, DateOnly? FiringOn, DateOnly? ResolvedOn, IReadOnlyList<string> Channels /* email, webhook */);
