using Dapper;
using Hangfire;
using Microsoft.Extensions.Options;
using Npgsql;
using PostalPeak.Alerts;
using PostalPeak.Jobs;

namespace PostalPeak.Incidents;

/// <summary>
/// Reminds both sides of an open incident with no update for <see cref="IncidentsOptions.StaleHours"/> hours: the
/// department's addresses, the carrier's contacts and the webhooks (event <c>incident.stale</c>), again every as many
/// hours while nobody writes. Each reminder has its own sequence number, so a second run within the period writes nothing.
/// </summary>
public sealed class IncidentReminderJob(NpgsqlDataSource db, IOptions<IncidentsOptions> options, IOptions<NotificationOptions> notifications,
    IOptions<JobsOptions> jobs, IBackgroundJobClient jobClient)
{
    public const string Id = "incidents.remind";
    public const string Cron = "25 * * * *";

    /// <summary>A class, not a positional record: Dapper fills a text[] through a property only.</summary>
    private sealed class Due
    {
        public long Id { get; init; }
        public int Sequence { get; init; }
        public string[] CarrierEmails { get; init; } = [];
    }

    [AutomaticRetry(Attempts = 0, LogEvents = false)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var hours = options.Value.StaleHours;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Quiet: no update (nor the report itself) within the period, and no reminder within it either.
        var due = (await connection.QueryAsync<Due>(new CommandDefinition("""
            select i.id, coalesce(last.sequence, 0) + 1 as sequence, c.contact_emails as carrier_emails
            from incident i
            join carrier c on c.id = i.carrier_id
            cross join lateral (select max(n.sequence) as sequence, max(n.created_at) as at
                                from notification n where n.incident_id = i.id and n.kind = 'incident_stale') last
            where i.state not in ('resolved', 'closed')
              and i.updated_at < now() - make_interval(hours => @hours)
              and (last.at is null or last.at < now() - make_interval(hours => @hours))
            order by i.id
            """, new { hours }, transaction, cancellationToken: cancellationToken))).AsList();
        var ids = new List<long>();
        foreach (var incident in due)
        {
            var current = await IncidentStore.GetAsync(connection, transaction, incident.Id, cancellationToken);
            ids.AddRange(await IncidentMessages.AddStaleToOutboxAsync(connection, transaction, current, incident.Sequence, incident.CarrierEmails, hours,
                notifications.Value, jobs.Value.TimeZone, cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
        Outbox.Dispatch(jobClient, ids);
        return due.Count;
    }
}
