using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace PostalPeak.Alerts;

/// <summary>
/// Re-sends a firing alert every <see cref="NotificationOptions.ReminderHours"/> hours until someone
/// acknowledges it, unless it is silenced. Only alerts whose firing was announced get reminders (an old
/// episode recorded from a back-fill was never announced). Each reminder has its own sequence number, so a
/// second run within the same period writes nothing.
/// </summary>
public sealed class AlertReminderJob(NpgsqlDataSource db, AlertNotifier notifier, IOptions<NotificationOptions> options)
{
    public const string Id = "alerts.remind";
    public const string Cron = "15 * * * *";

    private sealed record Due(long Id, int RuleId, string CarrierCode, string CarrierName, string UnitCode, DateOnly StartedOn, DateOnly? FiringOn,
        DateOnly LastHeldOn, double? Value, double? Threshold, int Sequence);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var due = (await connection.QueryAsync<Due>(new CommandDefinition("""
            select a.id, a.rule_id, c.code as carrier_code, c.name as carrier_name, a.unit_code, a.started_on, a.firing_on, a.last_held_on,
                   a.value, a.threshold, last.sequence + 1 as sequence
            from alert a
            join carrier c on c.id = a.carrier_id
            join lateral (select max(n.sequence) as sequence, max(n.created_at) as at
                          from notification n where n.alert_id = a.id and n.kind in ('firing', 'reminder')) last on last.at is not null
            where a.state = 'firing' and a.acknowledged_at is null
              and last.at < now() - make_interval(hours => @hours)
              and not exists (select 1 from alert_silence s
                              where s.cancelled_at is null and s.ends_at > now()
                                and (s.rule_id is null or s.rule_id = a.rule_id) and (s.carrier_id is null or s.carrier_id = a.carrier_id)
                                and (s.unit_code is null or s.unit_code = a.unit_code))
            """, new { hours = options.Value.ReminderHours }, transaction, cancellationToken: cancellationToken))).AsList();
        if (due.Count == 0)
            return 0;
        var rules = (await AlertRules.LoadEnabledAsync(connection, transaction, cancellationToken)).ToDictionary(r => r.Id);
        var ids = new List<long>();
        foreach (var alert in due.Where(a => rules.ContainsKey(a.RuleId)))
        {
            var episode = new AlertEpisode(alert.StartedOn, alert.FiringOn, alert.LastHeldOn, null, alert.Value, alert.Threshold);
            var pending = new AlertNotifier.Pending(alert.Id, "reminder", rules[alert.RuleId], alert.CarrierCode, alert.CarrierName, alert.UnitCode, episode);
            ids.AddRange(await notifier.QueueAsync(connection, transaction, [pending], cancellationToken, alert.Sequence));
        }
        await transaction.CommitAsync(cancellationToken);
        notifier.Dispatch(ids);
        return ids.Count;
    }
}
