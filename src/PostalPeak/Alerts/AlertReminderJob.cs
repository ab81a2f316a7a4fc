using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using PostalPeak.Jobs;
using PostalPeak.Shell;

namespace PostalPeak.Alerts;

/// <summary>
/// Re-sends a firing alert every <see cref="NotificationOptions.ReminderHours"/> hours until someone
/// acknowledges it, unless it is silenced, and announces a firing that a silence held back once the silence
/// is over. Only alerts whose condition was seen recently qualify: an old episode recorded from a back-fill,
/// a unit that no longer reports and a rule muted in today's phase (the holiday) send nothing. Each reminder
/// has its own sequence number, so a second run within the same period writes nothing.
/// </summary>
public sealed class AlertReminderJob(NpgsqlDataSource db, AlertNotifier notifier, IOptions<NotificationOptions> options, IOptions<AlertsOptions> alerts,
    IOptions<JobsOptions> jobs, TimeProvider clock)
{
    public const string Id = "alerts.remind";
    public const string Cron = "15 * * * *";

    private sealed record Due(long Id, int RuleId, string CarrierCode, string CarrierName, string UnitCode, DateOnly StartedOn, DateOnly? FiringOn,
        DateOnly LastHeldOn, double? Value, double? Threshold, int? Sequence);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var today = clock.TodayIn(jobs.Value.TimeZone);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // sequence is null for an alert whose firing was never announced: it is announced now, as sequence 0.
        var due = (await connection.QueryAsync<Due>(new CommandDefinition("""
            select a.id, a.rule_id, c.code as carrier_code, c.name as carrier_name, a.unit_code, a.started_on, a.firing_on, a.last_held_on,
                   a.value, a.threshold, last.sequence + 1 as sequence
            from alert a
            join carrier c on c.id = a.carrier_id
            cross join lateral (select max(n.sequence) as sequence, max(n.created_at) as at
                                from notification n where n.alert_id = a.id and n.kind in ('firing', 'reminder')) last
            where a.state = 'firing' and a.acknowledged_at is null
              and a.last_held_on >= @oldest
              and (last.at is null or last.at < now() - make_interval(hours => @hours))
              and not exists (select 1 from alert_silence s
                              where s.cancelled_at is null and s.ends_at > now()
                                and (s.rule_id is null or s.rule_id = a.rule_id) and (s.carrier_id is null or s.carrier_id = a.carrier_id)
                                and (s.unit_code is null or s.unit_code = a.unit_code))
            """, new { hours = options.Value.ReminderHours, oldest = today.AddDays(-alerts.Value.NotifyWithinDays) }, transaction,
            cancellationToken: cancellationToken))).AsList();
        if (due.Count == 0)
            return 0;
        var todaysPhase = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition("""
            select p.code
            from season s join season_phase p on p.season_year = s.year
            where @today - s.tet_date between p.from_offset and p.to_offset
            limit 1
            """, new { today }, transaction, cancellationToken: cancellationToken));
        var rules = (await AlertRules.LoadEnabledAsync(connection, transaction, cancellationToken))
            .Where(r => r.ThresholdIn(todaysPhase) is not null)
            .ToDictionary(r => r.Id);
        var ids = new List<long>();
        foreach (var alert in due.Where(a => rules.ContainsKey(a.RuleId)))
        {
            var episode = new AlertEpisode(alert.StartedOn, alert.FiringOn, alert.LastHeldOn, null, alert.Value, alert.Threshold);
            var pending = alert.Sequence is { } sequence
                ? new AlertNotifier.Pending(alert.Id, "reminder", rules[alert.RuleId], alert.CarrierCode, alert.CarrierName, alert.UnitCode, episode)
                : new AlertNotifier.Pending(alert.Id, "firing", rules[alert.RuleId], alert.CarrierCode, alert.CarrierName, alert.UnitCode, episode, Deferred: true);
            ids.AddRange(await notifier.QueueAsync(connection, transaction, [pending], cancellationToken, alert.Sequence ?? 0));
        }
        await transaction.CommitAsync(cancellationToken);
        notifier.Dispatch(ids);
        return ids.Count;
    }
}
