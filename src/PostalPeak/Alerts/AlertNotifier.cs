using Dapper;
using Hangfire;
using Microsoft.Extensions.Options;
using Npgsql;
using PostalPeak.Jobs;
using PostalPeak.Shell;

namespace PostalPeak.Alerts;

/// <summary>
/// Decides which alert changes become notifications: recent ones, not silenced. Writes them to the outbox
/// in the evaluation's transaction, so a message exists exactly when the change it reports was committed.
/// </summary>
public sealed class AlertNotifier(IOptions<AlertsOptions> options, IOptions<JobsOptions> jobs, IOptions<NotificationOptions> notifications,
    TimeProvider clock, IBackgroundJobClient jobClient)
{
    /// <summary>
    /// A change of one alert that may be worth a message. <paramref name="Deferred"/>: a firing held back by a
    /// silence, announced once the silence is over, however long ago it began.
    /// </summary>
    public sealed record Pending(long AlertId, string Kind, AlertRule Rule, string CarrierCode, string CarrierName, string UnitCode, AlertEpisode? Episode,
        bool Deferred = false);

    private sealed record Silence(int? RuleId, string? CarrierCode, string? UnitCode);

    /// <summary>Writes the notifications worth sending to the outbox, in the caller's transaction; returns the new message ids.</summary>
    public async Task<IReadOnlyList<long>> QueueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<Pending> pending,
        CancellationToken cancellationToken, int sequence = 0)
    {
        var ids = new List<long>();
        foreach (var notice in await SelectAsync(connection, transaction, pending, cancellationToken, sequence))
            ids.AddRange(await Outbox.AddAsync(connection, transaction, notice, notifications.Value, cancellationToken));
        return ids;
    }

    /// <summary>
    /// Queues delivery after commit, in the job storage every process shares. A command has no job server of its
    /// own: its messages wait, pending in the outbox, until a serving process's server runs their jobs (or its sweep
    /// queues them again).
    /// </summary>
    public void Dispatch(IReadOnlyList<long> ids)
    {
        if (ids.Count > 0)
            Outbox.Dispatch(jobClient, ids);
    }

    public async Task<IReadOnlyList<AlertNotice>> SelectAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<Pending> pending,
        CancellationToken cancellationToken, int sequence = 0)
    {
        if (pending.Count == 0)
            return [];
        var today = clock.TodayIn(jobs.Value.TimeZone);
        var oldest = today.AddDays(-options.Value.NotifyWithinDays);
        var silences = (await connection.QueryAsync<Silence>(new CommandDefinition("""
            select s.rule_id, c.code as carrier_code, s.unit_code
            from alert_silence s left join carrier c on c.id = s.carrier_id
            where s.cancelled_at is null and s.ends_at > now()
            """, transaction: transaction, cancellationToken: cancellationToken))).AsList();
        var units = (await connection.QueryAsync<(string Code, string Name)>(new CommandDefinition("""
            select code, unit_name(code) as name from unnest(@codes) as code
            """, new { codes = pending.Select(p => p.UnitCode).Distinct().ToArray() }, transaction, cancellationToken: cancellationToken)))
            .ToDictionary(u => u.Code, u => u.Name);
        // An end is news only to those who heard of the start: an episode that fired long ago (a back-fill) and ends
        // with this season's first report was never announced, so neither is its end.
        var announced = (await connection.QueryAsync<long>(new CommandDefinition("""
            select distinct alert_id from notification where kind = 'firing' and alert_id = any(@ids)
            """, new { ids = pending.Where(p => p.Kind == "resolved").Select(p => p.AlertId).ToArray() }, transaction, cancellationToken: cancellationToken)))
            .ToHashSet();
        return pending
            // A reminder follows an announced firing, whatever its report day.
            // A firing is news while it is recent or still going on (a week of late files whose trouble continues).
            .Where(p => p.Episode is null || p.Kind == "reminder" || p.Deferred
                        || (p.Kind == "firing" ? p.Episode.FiringOn >= oldest || (p.Episode.ResolvedOn is null && p.Episode.LastHeldOn >= oldest)
                                               : p.Episode.ResolvedOn >= oldest))
            .Where(p => p.Kind != "resolved" || p.Episode is null || p.Episode.FiringOn >= oldest || announced.Contains(p.AlertId))
            .Where(p => !silences.Any(s => (s.RuleId is null || s.RuleId == p.Rule.Id) && (s.CarrierCode is null || s.CarrierCode == p.CarrierCode)
                                           && (s.UnitCode is null || s.UnitCode == p.UnitCode)))
            .Select(p => new AlertNotice(p.AlertId, p.Kind, sequence, p.Rule.Code, p.Rule.NameVi, p.Rule.NameEn, p.Rule.Severity, p.Rule.Metric, p.Rule.Comparison,
                p.Episode?.Threshold ?? p.Rule.Threshold, p.Episode?.Value, p.CarrierCode, p.CarrierName, p.UnitCode, units.GetValueOrDefault(p.UnitCode),
                p.Episode?.StartedOn ?? today, p.Episode?.FiringOn, p.Episode?.ResolvedOn ?? (p.Episode is null ? today : null), p.Rule.Channels))
            .ToList();
    }
}
