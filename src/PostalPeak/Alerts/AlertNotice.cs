namespace PostalPeak.Alerts;

/// <summary>What a notification says about an alert: rendered into e-mails and webhook payloads by the outbox.</summary>
public sealed record AlertNotice(long AlertId, string Kind /* firing|resolved|reminder */, int Sequence /* 0, or reminder number */, string RuleCode, string RuleNameVi, string RuleNameEn, string Severity, string Metric, string Comparison, double Threshold, double? Value, string CarrierCode, string CarrierName, string UnitCode /* '' = whole carrier */, string? UnitName, DateOnly StartedOn, DateOnly? FiringOn, DateOnly? ResolvedOn, IReadOnlyList<string> Channels /* email, webhook */);
