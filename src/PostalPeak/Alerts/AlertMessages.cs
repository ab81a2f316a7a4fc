using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Extensions.Localization;
using PostalPeak.Shell;

namespace PostalPeak.Alerts;

/// <summary>
/// Renders an <see cref="AlertNotice"/> into what is sent: the e-mail subject and plain-text body (Vietnamese
/// first, then English) and the webhook payload. Rendered once, when the outbox row is written, so the row
/// holds exactly what leaves PostalPeak even if a rule is renamed before delivery.
/// </summary>
public static class AlertMessages
{
    public const string EnglishSeparator = "------------------------------ English ------------------------------";

    /// <summary>snake_case like the rest of the API; Vietnamese letters written as themselves so the stored text is readable.</summary>
    private static readonly JsonSerializerOptions PayloadJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    /// <summary>The e-mail's two parts, in their order: the people it goes to read Vietnamese first.</summary>
    private static readonly IReadOnlyList<CultureInfo> Languages = [Translations.Vietnamese, Translations.English];

    public static string Subject(AlertNotice notice)
    {
        var (vi, en) = (Translations.In(Translations.Vietnamese), Translations.In(Translations.English));
        var where = notice.UnitCode.Length == 0 ? notice.CarrierCode : $"{notice.CarrierCode} · {notice.UnitName ?? notice.UnitCode}";
        // The roster's day is the news itself, and the same in both languages.
        if (notice.Metric == Indicators.MetricCatalogue.DutyRosterMissing.Code)
            where += " · " + notice.StartedOn.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
        return $"[PostalPeak] {Kind(vi, notice)}: {notice.RuleNameVi} – {where} | {Kind(en, notice)}: {notice.RuleNameEn}";
    }

    public static string EmailBody(AlertNotice notice, string? publicBaseUrl)
    {
        var text = new StringBuilder();
        foreach (var culture in Languages)
        {
            if (text.Length > 0)
            {
                text.AppendLine();
                text.AppendLine(EnglishSeparator);
                text.AppendLine();
            }
            Part(text, culture, notice, Link(notice.AlertId, publicBaseUrl));
        }
        return text.ToString();
    }

    private static void Part(StringBuilder text, CultureInfo culture, AlertNotice notice, string? link)
    {
        var t = Translations.In(culture);
        string Day(DateOnly day) => day.ToString(t["Mail.DateFormat"], CultureInfo.InvariantCulture);
        text.AppendLine(CultureInfo.InvariantCulture, $"{Kind(t, notice)}: {RuleName(culture, notice.RuleNameVi, notice.RuleNameEn)}");
        text.AppendLine(t["Mail.Lead." + (notice.Kind is "resolved" or "reminder" ? notice.Kind : "firing")]);
        if (notice.Metric == Indicators.MetricCatalogue.DutyRosterMissing.Code)
            text.AppendLine(t["Mail.RosterMissing", notice.StartedOn.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture), notice.CarrierName]);
        text.AppendLine();
        text.AppendLine(t["Mail.Severity", Severity(t, notice.Severity)]);
        text.AppendLine(t["Mail.Carrier", notice.CarrierName, notice.CarrierCode]);
        text.AppendLine(notice.UnitCode.Length == 0 ? t["Mail.WholeCarrier"] : t["Mail.Unit", notice.UnitName ?? notice.UnitCode, notice.UnitCode]);
        text.AppendLine(t["Mail.Indicator", MetricName(t, notice.Metric)]);
        text.AppendLine(t["Mail.Value", Number(notice.Value, culture) ?? t["Mail.None"], notice.Comparison, Number(notice.Threshold, culture) ?? ""]);
        text.AppendLine(t["Mail.StartedOn", Day(notice.StartedOn)]);
        if (notice.FiringOn is { } firing)
            text.AppendLine(t["Mail.FiringOn", Day(firing)]);
        if (notice.ResolvedOn is { } resolved)
            text.AppendLine(t["Mail.ResolvedOn", Day(resolved)]);
        text.AppendLine(t["Mail.Rule", notice.RuleCode, notice.AlertId.ToString(CultureInfo.InvariantCulture)]);
        if (link is not null)
            text.AppendLine(t["Mail.Details", link]);
        text.AppendLine();
        text.AppendLine(t["Mail.SelfReport"]);
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

    private static string Kind(IStringLocalizer<Text> t, AlertNotice notice) =>
        t["Mail.Kind." + notice.Kind, notice.Sequence.ToString(CultureInfo.InvariantCulture)] is { ResourceNotFound: false } kind
            ? kind.Value
            : notice.Kind.ToUpperInvariant();

    /// <summary>Rules carry their own name in both languages; the part in English reads the English one.</summary>
    internal static string RuleName(CultureInfo culture, string vietnamese, string english) =>
        culture.TwoLetterISOLanguageName == "en" ? english : vietnamese;

    /// <summary>The word for a severity in the run of a sentence (lower case), or the code when it has none.</summary>
    internal static string Severity(IStringLocalizer<Text> t, string severity) =>
        t["Mail.Severity." + severity] is { ResourceNotFound: false } word ? word.Value : severity;

    internal static string MetricName(IStringLocalizer<Text> t, string metric) =>
        Indicators.MetricCatalogue.Find(metric)?.Name(t) ?? metric;

    /// <summary>Up to two decimals, with the culture's separators: 1.234,5 in Vietnamese, 1,234.5 in English.</summary>
    internal static string? Number(double? value, CultureInfo culture) => value?.ToString("#,##0.##", culture);

    private sealed record Payload(string Event, int Sequence, PayloadAlert Alert);

    private sealed record PayloadAlert(long Id, string RuleCode, string RuleNameVi, string RuleNameEn, string Severity, string Metric,
        string Comparison, double Threshold, double? Value, string CarrierCode, string CarrierName, string UnitCode, string? UnitName,
        DateOnly StartedOn, DateOnly? FiringOn, DateOnly? ResolvedOn);
}
