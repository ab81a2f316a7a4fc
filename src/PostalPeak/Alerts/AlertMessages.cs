using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace PostalPeak.Alerts;

/// <summary>
/// Renders an <see cref="AlertNotice"/> into what is sent: the e-mail subject and plain-text body (Vietnamese
/// first, then English) and the webhook payload. Rendered once, when the outbox row is written, so the row
/// holds exactly what leaves PostalPeak even if a rule is renamed before delivery.
/// </summary>
public static class AlertMessages
{
    public const string EnglishSeparator = "------------------------------ English ------------------------------";

    private static readonly CultureInfo Vi = CultureInfo.GetCultureInfo("vi-VN");
    private static readonly CultureInfo En = CultureInfo.GetCultureInfo("en-US");

    /// <summary>snake_case like the rest of the API; Vietnamese letters written as themselves so the stored text is readable.</summary>
    private static readonly JsonSerializerOptions PayloadJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    private static readonly Dictionary<string, (string Vi, string En)> Metrics = new()
    {
        ["days_to_clear"] = ("Số ngày cần để giải tỏa tồn đọng", "Days needed to clear the backlog"),
        ["throughput_ratio"] = ("Tỷ lệ phát/nhận (3 ngày)", "Delivered / received (3 days)"),
        ["clearance_rate"] = ("Tỷ lệ giải tỏa trong ngày", "Clearance rate of the day"),
        ["backlog_growth"] = ("Tồn đọng tăng trong ngày", "Backlog added in the day"),
        ["closing"] = ("Tồn đọng cuối ngày", "Closing backlog"),
        ["unaccounted"] = ("Bưu gửi không khớp sổ", "Parcels unaccounted for"),
        ["loss_per_10k"] = ("Thất lạc trên 10.000 bưu gửi", "Lost per 10,000 parcels"),
        ["damage_per_10k"] = ("Hư hỏng trên 10.000 bưu gửi", "Damaged per 10,000 parcels"),
        ["lost"] = ("Bưu gửi thất lạc", "Parcels lost"),
        ["damaged"] = ("Bưu gửi hư hỏng", "Parcels damaged"),
        ["returned"] = ("Bưu gửi chuyển hoàn", "Parcels returned"),
        ["complaints_per_10k"] = ("Khiếu nại trên 10.000 bưu gửi nhận (3 ngày)", "Complaints per 10,000 parcels received (3 days)"),
        ["open_complaints"] = ("Khiếu nại chưa giải quyết", "Complaints left open"),
        ["missing_report"] = ("Ngày thiếu báo cáo", "Days without a report"),
    };

    public static string Subject(AlertNotice notice)
    {
        var where = notice.UnitCode.Length == 0 ? notice.CarrierCode : $"{notice.CarrierCode} · {notice.UnitName ?? notice.UnitCode}";
        return $"[PostalPeak] {KindVi(notice)}: {notice.RuleNameVi} – {where} | {KindEn(notice)}: {notice.RuleNameEn}";
    }

    public static string EmailBody(AlertNotice notice, string? publicBaseUrl)
    {
        var link = Link(notice.AlertId, publicBaseUrl);
        var text = new StringBuilder();

        text.AppendLine(CultureInfo.InvariantCulture, $"{KindVi(notice)}: {notice.RuleNameVi}");
        text.AppendLine(notice.Kind switch
        {
            "resolved" => "Cảnh báo đã hết: điều kiện không còn đúng.",
            "reminder" => "Cảnh báo vẫn đang diễn ra và chưa có ai xác nhận.",
            _ => "Một cảnh báo mới đang diễn ra.",
        });
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Mức độ: {SeverityVi(notice.Severity)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Doanh nghiệp: {notice.CarrierName} ({notice.CarrierCode})");
        text.AppendLine(notice.UnitCode.Length == 0 ? "Đơn vị: toàn doanh nghiệp" : $"Đơn vị: {notice.UnitName ?? notice.UnitCode} ({notice.UnitCode})");
        text.AppendLine(CultureInfo.InvariantCulture, $"Chỉ số: {MetricName(notice.Metric).Vi}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Giá trị: {Number(notice.Value, Vi) ?? "không có"} (ngưỡng: {notice.Comparison} {Number(notice.Threshold, Vi)})");
        text.AppendLine(CultureInfo.InvariantCulture, $"Bắt đầu từ ngày báo cáo: {notice.StartedOn.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)}");
        if (notice.FiringOn is { } firingVi)
            text.AppendLine(CultureInfo.InvariantCulture, $"Cảnh báo từ ngày báo cáo: {firingVi.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)}");
        if (notice.ResolvedOn is { } resolvedVi)
            text.AppendLine(CultureInfo.InvariantCulture, $"Hết từ ngày báo cáo: {resolvedVi.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Quy tắc: {notice.RuleCode} · cảnh báo số {notice.AlertId}");
        if (link is not null)
            text.AppendLine(CultureInfo.InvariantCulture, $"Xem chi tiết: {link}");
        text.AppendLine();
        text.AppendLine("Số liệu do doanh nghiệp tự báo cáo.");

        text.AppendLine();
        text.AppendLine(EnglishSeparator);
        text.AppendLine();

        text.AppendLine(CultureInfo.InvariantCulture, $"{KindEn(notice)}: {notice.RuleNameEn}");
        text.AppendLine(notice.Kind switch
        {
            "resolved" => "The alert has resolved: the condition no longer holds.",
            "reminder" => "The alert is still firing and nobody has acknowledged it.",
            _ => "A new alert is firing.",
        });
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Severity: {notice.Severity}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Carrier: {notice.CarrierName} ({notice.CarrierCode})");
        text.AppendLine(notice.UnitCode.Length == 0 ? "Unit: the whole carrier" : $"Unit: {notice.UnitName ?? notice.UnitCode} ({notice.UnitCode})");
        text.AppendLine(CultureInfo.InvariantCulture, $"Indicator: {MetricName(notice.Metric).En}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Value: {Number(notice.Value, En) ?? "none"} (threshold: {notice.Comparison} {Number(notice.Threshold, En)})");
        text.AppendLine(CultureInfo.InvariantCulture, $"Started on report day: {notice.StartedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
        if (notice.FiringOn is { } firingEn)
            text.AppendLine(CultureInfo.InvariantCulture, $"Firing since report day: {firingEn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
        if (notice.ResolvedOn is { } resolvedEn)
            text.AppendLine(CultureInfo.InvariantCulture, $"Resolved on report day: {resolvedEn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Rule: {notice.RuleCode} · alert {notice.AlertId}");
        if (link is not null)
            text.AppendLine(CultureInfo.InvariantCulture, $"Details: {link}");
        text.AppendLine();
        text.AppendLine("Figures are the carrier's self-report.");
        return text.ToString();
    }

    /// <summary>
    /// The webhook body. The send time is not part of it: it goes in the X-PostalPeak-Timestamp header at each
    /// attempt, so the stored payload is exactly the bytes every attempt sends. Fields: docs/notifications.md.
    /// </summary>
    public static string WebhookPayload(AlertNotice notice) => JsonSerializer.Serialize(new Payload(notice.Kind, notice.Sequence, new PayloadAlert(
        notice.AlertId, notice.RuleCode, notice.RuleNameVi, notice.RuleNameEn, notice.Severity, notice.Metric, notice.Comparison,
        notice.Threshold, notice.Value, notice.CarrierCode, notice.CarrierName, notice.UnitCode, notice.UnitName,
        notice.StartedOn, notice.FiringOn, notice.ResolvedOn)), PayloadJson);

    public static string? Link(long alertId, string? publicBaseUrl) =>
        string.IsNullOrWhiteSpace(publicBaseUrl) ? null : $"{publicBaseUrl.TrimEnd('/')}/alerts/{alertId.ToString(CultureInfo.InvariantCulture)}";

    private static string KindVi(AlertNotice notice) => notice.Kind switch
    {
        "firing" => "CẢNH BÁO",
        "resolved" => "ĐÃ HẾT",
        "reminder" => $"NHẮC LẠI lần {notice.Sequence.ToString(CultureInfo.InvariantCulture)}",
        _ => notice.Kind.ToUpperInvariant(),
    };

    private static string KindEn(AlertNotice notice) => notice.Kind switch
    {
        "firing" => "FIRING",
        "resolved" => "RESOLVED",
        "reminder" => $"REMINDER {notice.Sequence.ToString(CultureInfo.InvariantCulture)}",
        _ => notice.Kind.ToUpperInvariant(),
    };

    private static string SeverityVi(string severity) => severity switch
    {
        "critical" => "nghiêm trọng",
        "warning" => "cảnh báo",
        "info" => "thông tin",
        _ => severity,
    };

    private static (string Vi, string En) MetricName(string metric) =>
        Metrics.TryGetValue(metric, out var name) ? name : (metric, metric);

    /// <summary>Up to two decimals, with the culture's separators: 1.234,5 in Vietnamese, 1,234.5 in English.</summary>
    private static string? Number(double? value, CultureInfo culture) => value?.ToString("#,##0.##", culture);

    private sealed record Payload(string Event, int Sequence, PayloadAlert Alert);

    private sealed record PayloadAlert(long Id, string RuleCode, string RuleNameVi, string RuleNameEn, string Severity, string Metric,
        string Comparison, double Threshold, double? Value, string CarrierCode, string CarrierName, string UnitCode, string? UnitName,
        DateOnly StartedOn, DateOnly? FiringOn, DateOnly? ResolvedOn);
}
