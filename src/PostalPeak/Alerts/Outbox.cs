using Dapper;
using Hangfire;
using Npgsql;

namespace PostalPeak.Alerts;

/// <summary>One message of the outbox as the page and the API show it.</summary>
public sealed record OutboxMessage(long Id, long? AlertId, long? IncidentId, string Kind, int Sequence, string Channel, string Recipient, string Subject,
    string Status, int Attempts, DateTime NextAttemptAt, string? LastError, DateTime CreatedAt, DateTime? SentAt);

/// <summary>
/// The notification outbox. A message is written in the same transaction as the alert change that calls for
/// it, so a message exists exactly when the change committed; delivery happens afterwards, in
/// <see cref="NotificationDelivery"/>, and is retried until it succeeds or runs out of attempts.
/// </summary>
public static class Outbox
{
    public static readonly string[] Statuses = ["pending", "sent", "failed"];

    /// <summary>
    /// Writes one message per channel and recipient in the caller's transaction and returns the ids actually
    /// inserted. A message that exists already (same alert, kind, sequence, channel, recipient) is not written
    /// again, so evaluating the same day twice never sends twice. Call <see cref="Dispatch"/> with the ids after commit.
    /// </summary>
    public static async Task<IReadOnlyList<long>> AddAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, AlertNotice notice,
        NotificationOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(notice);
        ArgumentNullException.ThrowIfNull(options);
        var messages = new List<(string Channel, string Recipient, string Subject, string Body)>();
        var subject = AlertMessages.Subject(notice);
        var payload = AlertMessages.WebhookPayload(notice);

        if (options.EmailEnabled && notice.Channels.Contains("email", StringComparer.Ordinal))
        {
            var contacts = (await connection.QuerySingleOrDefaultAsync<Carriers.Carrier>(new CommandDefinition(
                "select coalesce(contact_emails, '{}') as contact_emails from carrier where code = @CarrierCode",
                new { notice.CarrierCode }, transaction, cancellationToken: ct)))?.ContactEmails ?? [];
            var body = AlertMessages.EmailBody(notice, options.PublicBaseUrl);
            foreach (var recipient in contacts.Concat(options.DepartmentEmails)
                         .Select(address => address.Trim())
                         .Where(address => address.Length > 0)
                         .Distinct(StringComparer.OrdinalIgnoreCase))
                messages.Add(("email", recipient, subject, body));
        }
        if (notice.Channels.Contains("webhook", StringComparer.Ordinal))
        {
            // The exact bytes sent are kept in body; payload holds the same document as jsonb for queries.
            foreach (var hook in options.Webhooks)
                messages.Add(("webhook", hook.Name, subject, payload));
        }
        if (messages.Count == 0)
            return [];

        // Recipients are compared case-insensitively above; the unique index compares exactly, so the first
        // spelling of an address is the one stored and the same notice always yields the same rows.
        const string sql = """
            insert into notification (alert_id, kind, sequence, channel, recipient, subject, body, payload)
            select @AlertId, @Kind, @Sequence, m.channel, m.recipient, m.subject, m.body, @Payload::jsonb
            from unnest(@Channels, @Recipients, @Subjects, @Bodies) as m(channel, recipient, subject, body)
            on conflict (alert_id, kind, sequence, channel, recipient) where alert_id is not null do nothing
            returning id
            """;
        var ids = await connection.QueryAsync<long>(new CommandDefinition(sql, new
        {
            notice.AlertId,
            notice.Kind,
            notice.Sequence,
            Payload = payload,
            Channels = messages.Select(m => m.Channel).ToArray(),
            Recipients = messages.Select(m => m.Recipient).ToArray(),
            Subjects = messages.Select(m => m.Subject).ToArray(),
            Bodies = messages.Select(m => m.Body).ToArray(),
        }, transaction, cancellationToken: ct));
        return ids.Order().ToList();
    }

    /// <summary>Queues delivery of messages written by <see cref="AddAsync"/>, after their transaction committed.</summary>
    public static void Dispatch(IBackgroundJobClient jobs, IEnumerable<long> ids)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(ids);
        // A crash before or during this loop loses nothing: OutboxSweepJob queues any pending message left behind.
        foreach (var id in ids)
            jobs.Enqueue<NotificationDelivery>(delivery => delivery.DeliverAsync(id, CancellationToken.None));
    }

    /// <summary>The outbox newest first, optionally only one status.</summary>
    public static async Task<IReadOnlyList<OutboxMessage>> ListAsync(NpgsqlDataSource db, string? status, int limit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        const string sql = """
            select id, alert_id, incident_id, kind, sequence, channel, recipient, subject, status, attempts, next_attempt_at, last_error, created_at, sent_at
            from notification
            where @status::text is null or status = @status
            order by id desc
            limit @limit
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<OutboxMessage>(new CommandDefinition(sql, new { status, limit }, cancellationToken: ct))).AsList();
    }
}
