using System.Globalization;
using System.Text;
using Microsoft.Extensions.Localization;
using PostalPeak.Incidents;
using PostalPeak.Indicators;
using PostalPeak.Shell;

namespace PostalPeak.Alerts;

/// <summary>
/// The digest's subject, plain-text body (Vietnamese first, then English, like <see cref="AlertMessages"/>) and chart
/// title, from Text.resx's <c>Digest.*</c> and the metric catalogue. Rendered when the outbox row is written, so the row
/// holds exactly what is sent.
/// </summary>
public static class DigestMessages
{
    /// <summary>Missing units are named up to this many; beyond, only their number.</summary>
    public const int MissingUnitsNamed = 10;

    private static readonly IStringLocalizer<Text> Vi = Translations.In(Translations.Vietnamese);
    private static readonly IStringLocalizer<Text> En = Translations.In(Translations.English);

    public static string Subject(DateOnly reportDay, DigestCarrier? carrier) =>
        $"[PostalPeak] {SubjectPart(Vi, reportDay, carrier)} | {SubjectPart(En, reportDay, carrier)}";

    private static string SubjectPart(IStringLocalizer<Text> t, DateOnly reportDay, DigestCarrier? carrier) =>
        t["Digest.Subject", Day(t, reportDay), carrier is null ? t["Digest.SubjectAll"].Value : carrier.Code];

    /// <summary>The chart is one picture for both parts: its title is Vietnamese, the language read first.</summary>
    public static string ChartTitle(DateOnly reportDay, DigestSeason? season, DigestCarrier? carrier) =>
        Vi["Digest.ChartTitle", carrier is null ? Vi["Digest.ChartProvince"].Value : carrier.Name,
            season?.Name ?? Vi["Digest.ChartLastDays", DigestJob.FallbackDays].Value, Day(Vi, reportDay)];

    /// <summary>The chart's value axis, read by both parts.</summary>
    public static string ChartAxis => $"{Vi["Digest.ChartAxis"]} · {En["Digest.ChartAxis"]}";

    /// <summary>The province total's line in the chart's legend, read by both parts.</summary>
    public static string ProvinceLine => $"{Vi["Digest.ProvinceLine"]} · {En["Digest.ProvinceLine"]}";

    /// <param name="incidents">The group's incidents reported on the day or open during it; none gives a one-line "no incidents".</param>
    /// <param name="zoneId">The time zone incidents' times are told in.</param>
    public static string Body(DateOnly reportDay, DigestSeason? season, IReadOnlyList<DigestCarrierDay> carriers, bool department, string? publicBaseUrl,
        IReadOnlyList<Incident> incidents, string zoneId)
    {
        ArgumentNullException.ThrowIfNull(carriers);
        ArgumentNullException.ThrowIfNull(incidents);
        var text = new StringBuilder();
        Part(text, Translations.Vietnamese, reportDay, season, carriers, department, publicBaseUrl, incidents, zoneId);
        text.AppendLine();
        text.AppendLine(AlertMessages.EnglishSeparator);
        text.AppendLine();
        Part(text, Translations.English, reportDay, season, carriers, department, publicBaseUrl, incidents, zoneId);
        return text.ToString();
    }

    private static void Part(StringBuilder text, CultureInfo c, DateOnly reportDay, DigestSeason? season, IReadOnlyList<DigestCarrierDay> carriers,
        bool department, string? publicBaseUrl, IReadOnlyList<Incident> incidents, string zoneId)
    {
        var t = Translations.In(c);
        text.AppendLine(t["Digest.Heading", Day(t, reportDay)]);
        text.AppendLine(department || carriers.Count != 1 ? t["Digest.ScopeAll"] : t["Digest.Scope", $"{carriers[0].Carrier.Name} ({carriers[0].Carrier.Code})"]);
        text.AppendLine(season is null
            ? t["Digest.NoSeason"]
            : t["Digest.Season", season.Name, Day(t, season.TetDate), Offset(reportDay.DayNumber - season.TetDate.DayNumber)]);
        text.AppendLine(t["Digest.Summary", carriers.Count, carriers.Count(d => d.ReportMissing), carriers.Sum(d => d.Opened.Count),
            carriers.Sum(d => d.Resolved.Count), carriers.Sum(d => d.StillFiring.Count)]);
        var none = t["Mail.None"].Value;
        Incidents(text, t, c, incidents, publicBaseUrl, zoneId);

        foreach (var day in carriers)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"== {day.Carrier.Name} ({day.Carrier.Code}) ==");
            if (day.Figures is { } f)
            {
                // "Parcels received", the digest's own word: the catalogue's name for the metric is the report column's.
                text.AppendLine(CultureInfo.InvariantCulture, $"{t["Digest.Received"]}: {Count(f.Received, c)}");
                text.AppendLine(CultureInfo.InvariantCulture, $"{MetricCatalogue.Delivered.Name(t)}: {Count(f.Delivered, c)}");
                text.AppendLine(CultureInfo.InvariantCulture, $"{MetricCatalogue.Closing.Name(t)}: {Count(f.Closing, c) ?? none}");
                text.AppendLine(CultureInfo.InvariantCulture, $"{MetricCatalogue.DaysToClear.Name(t)}: {AlertMessages.Number(f.DaysToClear, c) ?? none}");
                text.AppendLine(CultureInfo.InvariantCulture, $"{MetricCatalogue.ThroughputRatio.Name(t)}: {AlertMessages.Number(f.ThroughputRatio, c) ?? none}");
                text.AppendLine(CultureInfo.InvariantCulture, $"{MetricCatalogue.LossPer10k.Name(t)}: {AlertMessages.Number(f.LossPer10k, c) ?? none}");
                text.AppendLine(CultureInfo.InvariantCulture, $"{MetricCatalogue.ComplaintsPer10k.Name(t)}: {AlertMessages.Number(f.ComplaintsPer10k, c) ?? none}");
            }
            else
                text.AppendLine(t["Digest.NoReport"]);
            text.AppendLine(t["Digest.Units", day.UnitsReporting, day.UnitsExpected]);
            if (day.MissingUnits.Count > 0 && !day.ReportMissing)
            {
                var named = string.Join(", ", day.MissingUnits.Take(MissingUnitsNamed));
                if (day.MissingUnits.Count > MissingUnitsNamed)
                    named += ", " + t["Digest.AndMore", day.MissingUnits.Count - MissingUnitsNamed];
                text.AppendLine(t["Digest.MissingUnits", day.MissingUnits.Count, named]);
            }
            Alerts(text, t, c, t["Digest.Opened"], day.Opened, publicBaseUrl);
            Alerts(text, t, c, t["Digest.Resolved"], day.Resolved, publicBaseUrl);
            Alerts(text, t, c, t["Digest.StillFiring"], day.StillFiring, publicBaseUrl);
            if (day.Opened.Count + day.Resolved.Count + day.StillFiring.Count == 0)
                text.AppendLine(t["Digest.NoAlerts"]);
        }
        text.AppendLine();
        text.AppendLine(t["Digest.Chart"]);
        text.AppendLine(t["Digest.SelfReport"]);
    }

    /// <summary>Incidents come before the figures: an incident explains the figures, and is what the department must act on.</summary>
    private static void Incidents(StringBuilder text, IStringLocalizer<Text> t, CultureInfo c, IReadOnlyList<Incident> incidents, string? publicBaseUrl,
        string zoneId)
    {
        text.AppendLine();
        if (incidents.Count == 0)
        {
            text.AppendLine(t["Digest.NoIncidents"]);
            return;
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"{t["Digest.Incidents", incidents.Count]}:");
        foreach (var incident in incidents)
        {
            var units = incident.UnitCodes.Length == 0 ? t["Digest.IncidentAllUnits"].Value : IncidentMessages.UnitsText(incident);
            text.AppendLine(t["Digest.Incident", IncidentMessages.SeverityName(t, incident.Severity), IncidentMessages.TypeName(t, incident.Type),
                IncidentMessages.ShortLabel(incident.Description), incident.CarrierName, units, IncidentMessages.LocalTime(incident.StartedAt, zoneId, c),
                IncidentMessages.StateName(t, incident.State), incident.Id]);
            if (IncidentMessages.Link(incident.Id, publicBaseUrl) is { } link)
                text.AppendLine(CultureInfo.InvariantCulture, $"    {t["Mail.Details", link]}");
        }
    }

    private static void Alerts(StringBuilder text, IStringLocalizer<Text> t, CultureInfo c, string heading, IReadOnlyList<DigestAlert> alerts, string? publicBaseUrl)
    {
        if (alerts.Count == 0)
            return;
        var none = t["Mail.None"].Value;
        text.AppendLine(CultureInfo.InvariantCulture, $"{heading}:");
        foreach (var alert in alerts)
        {
            var unit = alert.UnitCode.Length == 0 ? t["Digest.WholeCarrier"].Value : $"{alert.UnitName ?? alert.UnitCode} ({alert.UnitCode})";
            var value = t["Digest.Value", AlertMessages.Number(alert.Value, c) ?? none, alert.Comparison, AlertMessages.Number(alert.Threshold, c) ?? none];
            var name = AlertMessages.RuleName(c, alert.RuleNameVi, alert.RuleNameEn);
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  - [{AlertMessages.Severity(t, alert.Severity)}] {name} – {unit}: {value} (#{alert.Id.ToString(CultureInfo.InvariantCulture)})");
            if (AlertMessages.Link(alert.Id, publicBaseUrl) is { } link)
                text.AppendLine(CultureInfo.InvariantCulture, $"    {t["Mail.Details", link]}");
        }
    }

    private static string Day(IStringLocalizer<Text> t, DateOnly day) => day.ToString(t["Mail.DateFormat"], CultureInfo.InvariantCulture);

    private static string Offset(int offset) => offset switch
    {
        0 => "",
        > 0 => "+" + offset.ToString(CultureInfo.InvariantCulture),
        _ => "−" + (-offset).ToString(CultureInfo.InvariantCulture),
    };

    private static string? Count(long? value, CultureInfo culture) => value?.ToString("#,##0", culture);
}
