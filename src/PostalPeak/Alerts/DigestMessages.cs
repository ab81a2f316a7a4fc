using System.Globalization;
using System.Text;

namespace PostalPeak.Alerts;

/// <summary>
/// The digest's subject, plain-text body (Vietnamese first, then English, like <see cref="AlertMessages"/>) and chart
/// title. Rendered when the outbox row is written, so the row holds exactly what is sent.
/// </summary>
public static class DigestMessages
{
    /// <summary>Missing units are named up to this many; beyond, only their number.</summary>
    public const int MissingUnitsNamed = 10;

    private static readonly CultureInfo Vi = CultureInfo.GetCultureInfo("vi-VN");
    private static readonly CultureInfo En = CultureInfo.GetCultureInfo("en-US");

    public static string Subject(DateOnly reportDay, DigestCarrier? carrier) =>
        $"[PostalPeak] Báo cáo ngày {reportDay.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)} – {(carrier is null ? "toàn tỉnh" : carrier.Code)}"
        + $" | Daily digest {reportDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} – {(carrier is null ? "all carriers" : carrier.Code)}";

    public static string ChartTitle(DateOnly reportDay, DigestSeason? season, DigestCarrier? carrier) =>
        $"Tồn đọng cuối ngày {(carrier is null ? "toàn tỉnh" : carrier.Name)} – {season?.Name ?? $"{DigestJob.FallbackDays} ngày gần nhất"}"
        + $" (đến {reportDay.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)})";

    public static string Body(DateOnly reportDay, DigestSeason? season, IReadOnlyList<DigestCarrierDay> carriers, bool department, string? publicBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(carriers);
        var text = new StringBuilder();
        Part(text, Vietnamese, reportDay, season, carriers, department, publicBaseUrl);
        text.AppendLine();
        text.AppendLine(AlertMessages.EnglishSeparator);
        text.AppendLine();
        Part(text, English, reportDay, season, carriers, department, publicBaseUrl);
        return text.ToString();
    }

    /// <summary>The words of one language part.</summary>
    private sealed record Words(
        CultureInfo Culture, string DateFormat, string Heading, string Scope, string ScopeAll, string SeasonLine, string NoSeason, string Summary,
        string Received, string Delivered, string Closing, string DaysToClear, string Throughput, string Loss, string Complaints,
        string Units, string MissingUnits, string AndMore, string NoReport, string Opened, string Resolved, string StillFiring, string NoAlerts,
        string WholeCarrier, string Value, string None, string Chart, string SelfReport, string Link, Func<string, string> Severity,
        Func<DigestAlert, string> RuleName);

    private static readonly Words Vietnamese = new(Vi, "dd/MM/yyyy",
        "BÁO CÁO NGÀY {0}", "Phạm vi: doanh nghiệp {0}", "Phạm vi: tất cả doanh nghiệp trên địa bàn tỉnh",
        "Mùa cao điểm: {0} (Tết: {1}; ngày báo cáo là T{2})", "Ngày báo cáo nằm ngoài mùa cao điểm Tết.",
        "Tóm tắt: {0} doanh nghiệp, {1} chưa gửi báo cáo; {2} cảnh báo mới, {3} cảnh báo đã hết, {4} cảnh báo vẫn đang diễn ra.",
        "Bưu gửi nhận", "Phát thành công", "Tồn đọng cuối ngày", "Số ngày cần để giải tỏa tồn đọng", "Tỷ lệ phát/nhận (3 ngày)",
        "Thất lạc trên 10.000 bưu gửi", "Khiếu nại trên 10.000 bưu gửi nhận (3 ngày)",
        "Đơn vị đã báo cáo: {0}/{1}", "Đơn vị chưa báo cáo ({0}): {1}", "và {0} đơn vị khác",
        "CHƯA GỬI BÁO CÁO cho ngày này.", "Cảnh báo mới", "Cảnh báo đã hết", "Cảnh báo vẫn đang diễn ra", "Không có cảnh báo.",
        "toàn doanh nghiệp", "giá trị {0}, ngưỡng {1} {2}", "không có",
        "Biểu đồ tồn đọng cuối ngày theo ngày trong mùa được đính kèm (tệp PNG).", "Số liệu do doanh nghiệp tự báo cáo.",
        "Xem chi tiết: {0}",
        severity => severity switch { "critical" => "nghiêm trọng", "warning" => "cảnh báo", "info" => "thông tin", _ => severity },
        alert => alert.RuleNameVi);

    private static readonly Words English = new(En, "yyyy-MM-dd",
        "DAILY DIGEST {0}", "Scope: carrier {0}", "Scope: every carrier in the province",
        "Season: {0} (Tết: {1}; the report day is T{2})", "The report day is outside every Tết season.",
        "Summary: {0} carriers, {1} without a report; {2} alerts began firing, {3} resolved, {4} still firing.",
        "Received", "Delivered", "Closing backlog", "Days to clear the backlog", "Delivered / received (3 days)",
        "Lost per 10,000 parcels", "Complaints per 10,000 parcels received (3 days)",
        "Units reporting: {0}/{1}", "Units without a report ({0}): {1}", "and {0} more",
        "NO REPORT for this day.", "Began firing", "Resolved", "Still firing", "No alerts.",
        "whole carrier", "value {0}, threshold {1} {2}", "none",
        "The chart of closing backlog per day over the season is attached (PNG).", "Figures are the carriers' self-reports.",
        "Details: {0}",
        severity => severity,
        alert => alert.RuleNameEn);

    private static void Part(StringBuilder text, Words w, DateOnly reportDay, DigestSeason? season, IReadOnlyList<DigestCarrierDay> carriers,
        bool department, string? publicBaseUrl)
    {
        var c = w.Culture;
        text.AppendLine(string.Format(c, w.Heading, reportDay.ToString(w.DateFormat, CultureInfo.InvariantCulture)));
        text.AppendLine(department || carriers.Count != 1 ? w.ScopeAll : string.Format(c, w.Scope, $"{carriers[0].Carrier.Name} ({carriers[0].Carrier.Code})"));
        text.AppendLine(season is null
            ? w.NoSeason
            : string.Format(c, w.SeasonLine, season.Name, season.TetDate.ToString(w.DateFormat, CultureInfo.InvariantCulture),
                Offset(reportDay.DayNumber - season.TetDate.DayNumber)));
        text.AppendLine(string.Format(c, w.Summary, carriers.Count, carriers.Count(d => d.ReportMissing), carriers.Sum(d => d.Opened.Count),
            carriers.Sum(d => d.Resolved.Count), carriers.Sum(d => d.StillFiring.Count)));

        foreach (var day in carriers)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"== {day.Carrier.Name} ({day.Carrier.Code}) ==");
            if (day.Figures is { } f)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"{w.Received}: {Count(f.Received, c)}");
                text.AppendLine(CultureInfo.InvariantCulture, $"{w.Delivered}: {Count(f.Delivered, c)}");
                text.AppendLine(CultureInfo.InvariantCulture, $"{w.Closing}: {Count(f.Closing, c) ?? w.None}");
                text.AppendLine(CultureInfo.InvariantCulture, $"{w.DaysToClear}: {Number(f.DaysToClear, c) ?? w.None}");
                text.AppendLine(CultureInfo.InvariantCulture, $"{w.Throughput}: {Number(f.ThroughputRatio, c) ?? w.None}");
                text.AppendLine(CultureInfo.InvariantCulture, $"{w.Loss}: {Number(f.LossPer10k, c) ?? w.None}");
                text.AppendLine(CultureInfo.InvariantCulture, $"{w.Complaints}: {Number(f.ComplaintsPer10k, c) ?? w.None}");
            }
            else
                text.AppendLine(w.NoReport);
            text.AppendLine(string.Format(c, w.Units, day.UnitsReporting, day.UnitsInForce));
            if (day.MissingUnits.Count > 0 && !day.ReportMissing)
            {
                var named = string.Join(", ", day.MissingUnits.Take(MissingUnitsNamed));
                if (day.MissingUnits.Count > MissingUnitsNamed)
                    named += ", " + string.Format(c, w.AndMore, day.MissingUnits.Count - MissingUnitsNamed);
                text.AppendLine(string.Format(c, w.MissingUnits, day.MissingUnits.Count, named));
            }
            Alerts(text, w, w.Opened, day.Opened, publicBaseUrl);
            Alerts(text, w, w.Resolved, day.Resolved, publicBaseUrl);
            Alerts(text, w, w.StillFiring, day.StillFiring, publicBaseUrl);
            if (day.Opened.Count + day.Resolved.Count + day.StillFiring.Count == 0)
                text.AppendLine(w.NoAlerts);
        }
        text.AppendLine();
        text.AppendLine(w.Chart);
        text.AppendLine(w.SelfReport);
    }

    private static void Alerts(StringBuilder text, Words w, string heading, IReadOnlyList<DigestAlert> alerts, string? publicBaseUrl)
    {
        if (alerts.Count == 0)
            return;
        text.AppendLine(CultureInfo.InvariantCulture, $"{heading}:");
        foreach (var alert in alerts)
        {
            var unit = alert.UnitCode.Length == 0 ? w.WholeCarrier : $"{alert.UnitName ?? alert.UnitCode} ({alert.UnitCode})";
            var value = string.Format(w.Culture, w.Value, Number(alert.Value, w.Culture) ?? w.None, alert.Comparison, Number(alert.Threshold, w.Culture) ?? w.None);
            text.AppendLine(CultureInfo.InvariantCulture, $"  - [{w.Severity(alert.Severity)}] {w.RuleName(alert)} – {unit}: {value} (#{alert.Id})");
            if (AlertMessages.Link(alert.Id, publicBaseUrl) is { } link)
                text.AppendLine(CultureInfo.InvariantCulture, $"    {string.Format(w.Culture, w.Link, link)}");
        }
    }

    private static string Offset(int offset) => offset switch
    {
        0 => "",
        > 0 => "+" + offset.ToString(CultureInfo.InvariantCulture),
        _ => "−" + (-offset).ToString(CultureInfo.InvariantCulture),
    };

    private static string? Count(long? value, CultureInfo culture) => value?.ToString("#,##0", culture);

    /// <summary>Up to two decimals, with the culture's separators, as in alert e-mails.</summary>
    private static string? Number(double? value, CultureInfo culture) => value?.ToString("#,##0.##", culture);
}
