using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Dapper;
using Microsoft.Extensions.Localization;
using Npgsql;
using PostalPeak.Alerts;
using PostalPeak.Shell;

namespace PostalPeak.Incidents;

/// <summary>
/// The department's notice of a new incident: an e-mail (Vietnamese first, English below, as alert e-mails) to the
/// department's addresses and the signed webhook with event <c>incident.reported</c>. Written to the outbox in the
/// report's transaction and delivered by <see cref="NotificationDelivery"/>, with the alerts' retries.
/// </summary>
public static class IncidentMessages
{
    public const string Kind = "incident_reported";
    public const string Event = "incident.reported";
    public const string StaleKind = "incident_stale";
    public const string StaleEvent = "incident.stale";

    private static readonly JsonSerializerOptions PayloadJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    /// <summary>
    /// One message per department address and per webhook; a message that exists already (same incident, kind, channel,
    /// recipient) is not written again. Returns the ids inserted, for <see cref="Outbox.Dispatch"/> after commit.
    /// </summary>
    public static Task<IReadOnlyList<long>> AddToOutboxAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Incident incident,
        NotificationOptions options, string zoneId, CancellationToken ct) =>
        AddToOutboxAsync(connection, transaction, incident, Kind, 0, [], 0, options, zoneId, ct);

    /// <summary>
    /// The reminder of an incident with no update for <paramref name="staleHours"/> hours, to both sides: the department's
    /// addresses and the carrier's contacts, and the webhooks. <paramref name="sequence"/> numbers the reminders.
    /// </summary>
    public static Task<IReadOnlyList<long>> AddStaleToOutboxAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Incident incident,
        int sequence, IReadOnlyList<string> carrierEmails, int staleHours, NotificationOptions options, string zoneId, CancellationToken ct) =>
        AddToOutboxAsync(connection, transaction, incident, StaleKind, sequence, carrierEmails, staleHours, options, zoneId, ct);

    private static async Task<IReadOnlyList<long>> AddToOutboxAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Incident incident,
        string kind, int sequence, IReadOnlyList<string> carrierEmails, int staleHours, NotificationOptions options, string zoneId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(options);
        var messages = new List<(string Channel, string Recipient)>();
        if (options.EmailEnabled)
            messages.AddRange(carrierEmails.Concat(options.DepartmentEmails).Select(a => a.Trim()).Where(a => a.Length > 0)
                .Distinct(StringComparer.OrdinalIgnoreCase).Select(a => ("email", a)));
        messages.AddRange(options.Webhooks.Select(h => ("webhook", h.Name)));
        if (messages.Count == 0)
            return [];
        var stale = kind == StaleKind ? staleHours : (int?)null;
        var subject = Subject(incident, stale);
        var body = EmailBody(incident, options.PublicBaseUrl, zoneId, stale);
        var payload = WebhookPayload(incident, options.PublicBaseUrl, stale is null ? Event : StaleEvent);
        const string sql = """
            insert into notification (incident_id, kind, sequence, channel, recipient, subject, body, payload)
            select @Id, @kind, @sequence, m.channel, m.recipient, @subject, case when m.channel = 'email' then @body else @payload end, @payload::jsonb
            from unnest(@Channels, @Recipients) as m(channel, recipient)
            on conflict (incident_id, kind, sequence, channel, recipient) where incident_id is not null do nothing
            returning id
            """;
        var ids = await connection.QueryAsync<long>(new CommandDefinition(sql, new
        {
            incident.Id, kind, sequence, subject, body, payload,
            Channels = messages.Select(m => m.Channel).ToArray(),
            Recipients = messages.Select(m => m.Recipient).ToArray(),
        }, transaction, cancellationToken: ct));
        return ids.Order().ToList();
    }

    /// <param name="staleHours">For a reminder: the hours without an update; null for the report itself.</param>
    public static string Subject(Incident incident, int? staleHours = null)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var (vi, en) = (Translations.In(Translations.Vietnamese), Translations.In(Translations.English));
        var key = staleHours is null ? "Incidents.Mail.Subject" : "Incidents.Mail.StaleSubject";
        return $"[PostalPeak] {vi[key, TypeName(vi, incident.Type), incident.CarrierCode]} | {en[key, TypeName(en, incident.Type), incident.CarrierCode]}";
    }

    public static string EmailBody(Incident incident, string? publicBaseUrl, string zoneId, int? staleHours = null)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var text = new StringBuilder();
        Part(text, Translations.Vietnamese, incident, publicBaseUrl, zoneId, staleHours);
        text.AppendLine();
        text.AppendLine(AlertMessages.EnglishSeparator);
        text.AppendLine();
        Part(text, Translations.English, incident, publicBaseUrl, zoneId, staleHours);
        return text.ToString();
    }

    private static void Part(StringBuilder text, CultureInfo culture, Incident incident, string? publicBaseUrl, string zoneId, int? staleHours)
    {
        var t = Translations.In(culture);
        text.AppendLine(staleHours is { } hours
            ? t["Incidents.Mail.StaleLead", incident.Id, hours, StateName(t, incident.State)]
            : t["Incidents.Mail.Lead", TypeName(t, incident.Type)]);
        text.AppendLine();
        text.AppendLine(t["Incidents.Mail.Carrier", incident.CarrierName, incident.CarrierCode]);
        text.AppendLine(t["Incidents.Mail.Severity", SeverityName(t, incident.Severity)]);
        text.AppendLine(t["Incidents.Mail.StartedAt", LocalTime(incident.StartedAt, zoneId, culture)]);
        if (incident.UnitCodes.Length > 0)
            text.AppendLine(t["Incidents.Mail.Units", UnitsText(incident)]);
        if (incident.ParcelsAffected is { } parcels)
            text.AppendLine(t["Incidents.Mail.Parcels", parcels.ToString("#,##0", culture)]);
        text.AppendLine(t["Incidents.Mail.Description", incident.Description]);
        if (incident.Actions is { } actions)
            text.AppendLine(t["Incidents.Mail.Actions", actions]);
        text.AppendLine(t["Incidents.Mail.Contact", incident.Contact]);
        if (Link(incident.Id, publicBaseUrl) is { } link)
            text.AppendLine(t["Incidents.Mail.Details", link]);
        text.AppendLine();
        text.AppendLine(t[staleHours is null ? "Incidents.Mail.Acknowledge" : "Incidents.Mail.StaleAsk"]);
    }

    /// <summary>The webhook body: the event and the incident with the API's fields. The send time goes in the timestamp header.</summary>
    public static string WebhookPayload(Incident incident, string? publicBaseUrl, string eventType = Event)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return JsonSerializer.Serialize(new Payload(eventType, new PayloadIncident(incident.Id, incident.Type, incident.Severity,
            new DateTimeOffset(DateTime.SpecifyKind(incident.StartedAt, DateTimeKind.Utc)), incident.UnitCodes, incident.ParcelsAffected,
            incident.Description, incident.Actions, incident.Contact, incident.State, incident.CarrierCode, incident.CarrierName,
            new DateTimeOffset(DateTime.SpecifyKind(incident.ReportedAt, DateTimeKind.Utc)), Link(incident.Id, publicBaseUrl))), PayloadJson);
    }

    /// <summary>The affected units by name, each code after it in brackets, as the digest names units.</summary>
    public static string UnitsText(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return string.Join(", ", Units(incident).Select(u => u.Name == u.Code ? u.Code : $"{u.Name} ({u.Code})"));
    }

    public static IEnumerable<(string Code, string Name)> Units(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return incident.UnitCodes.Select((code, k) => (code, k < incident.UnitNames.Length ? incident.UnitNames[k] : code));
    }

    /// <summary>
    /// The first words of a description, for a chart's band or a link: its first clause, cut at a word within
    /// <paramref name="max"/> characters ("Ngập kho Bỉm Sơn, 2 000 bưu gửi chậm" gives "Ngập kho Bỉm Sơn").
    /// </summary>
    public static string ShortLabel(string description, int max = 28)
    {
        ArgumentNullException.ThrowIfNull(description);
        var clause = ClauseEnd.Split(description.Trim(), 2)[0].Trim();
        if (clause.Length == 0)
            clause = description.Trim();
        if (clause.Length <= max)
            return clause;
        var words = clause.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var label = words[0].Length >= max ? words[0][..(max - 1)] : words[0];
        foreach (var word in words.Skip(1))
        {
            if (label.Length + 1 + word.Length > max - 1)
                break;
            label += " " + word;
        }
        return label + "…";
    }

    /// <summary>Where a clause ends: a line break, a stop or comma followed by a space, a dash between spaces, an opening bracket.</summary>
    private static readonly System.Text.RegularExpressions.Regex ClauseEnd = new(@"[\r\n]|[.,;:](?=\s|$)|\s[–—-]\s|\(",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    public static string? Link(long id, string? publicBaseUrl) =>
        string.IsNullOrWhiteSpace(publicBaseUrl) ? null : $"{publicBaseUrl.TrimEnd('/')}/incidents/{id.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>dd/MM/yyyy HH:mm in Vietnamese, the English part's own format; in Vietnam time either way.</summary>
    public static string LocalTime(DateTime utc, string zoneId, CultureInfo culture) =>
        utc.ToLocalTimeIn(zoneId).ToString(Translations.In(culture)["Incidents.TimeFormat"], CultureInfo.InvariantCulture);

    public static string TypeName(IStringLocalizer<Text> t, string type) =>
        t["Incidents.Type." + type] is { ResourceNotFound: false } word ? word.Value : type;

    public static string SeverityName(IStringLocalizer<Text> t, string severity) =>
        t["Incidents.Severity." + severity] is { ResourceNotFound: false } word ? word.Value : severity;

    public static string StateName(IStringLocalizer<Text> t, string state) =>
        t["Incidents.State." + state] is { ResourceNotFound: false } word ? word.Value : state;

    private sealed record Payload(string Event, PayloadIncident Incident);

    private sealed record PayloadIncident(long Id, string Type, string Severity, DateTimeOffset StartedAt, string[] UnitCodes, int? ParcelsAffected,
        string Description, string? Actions, string Contact, string State, string CarrierCode, string CarrierName, DateTimeOffset ReportedAt, string? Link);
}
