using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using PostalPeak.Jobs;
using PostalPeak.Shell;

namespace PostalPeak.Alerts;

/// <summary>
/// Decides which alert changes become notifications: recent ones, not silenced. Writes them to the outbox
/// in the evaluation's transaction, so a message exists exactly when the change it reports was committed.
/// </summary>
public sealed class AlertNotifier(IOptions<AlertsOptions> options, IOptions<JobsOptions> jobs, TimeProvider clock)
{
    /// <summary>A change of one alert that may be worth a message; the episode is null when corrected data withdrew it.</summary>
    public sealed record Pending(long AlertId, string Kind, AlertRule Rule, string CarrierCode, string CarrierName, string UnitCode, AlertEpisode? Episode);

    private sealed record Silence(int? RuleId, string? CarrierCode, string? UnitCode);

    public async Task<IReadOnlyList<AlertNotice>> SelectAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<Pending> pending,
        CancellationToken cancellationToken)
    {
        if (pending.Count == 0)
            return [];
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime.ToLocalTimeIn(jobs.Value.TimeZone));
        var oldest = today.AddDays(-options.Value.NotifyWithinDays);
        var silences = (await connection.QueryAsync<Silence>(new CommandDefinition("""
            select s.rule_id, c.code as carrier_code, s.unit_code
            from alert_silence s left join carrier c on c.id = s.carrier_id
            where s.cancelled_at is null and s.ends_at > now()
            """, transaction: transaction, cancellationToken: cancellationToken))).AsList();
        var units = (await connection.QueryAsync<(string Code, string Name)>(new CommandDefinition("""
            select distinct on (code) code, name from admin_unit where code = any(@codes) order by code, valid_from desc
            """, new { codes = pending.Select(p => p.UnitCode).Distinct().ToArray() }, transaction, cancellationToken: cancellationToken)))
            .ToDictionary(u => u.Code, u => u.Name);
        return pending
            .Where(p => p.Episode is null || (p.Kind == "firing" ? p.Episode.FiringOn : p.Episode.ResolvedOn) >= oldest)
            .Where(p => !silences.Any(s => (s.RuleId is null || s.RuleId == p.Rule.Id) && (s.CarrierCode is null || s.CarrierCode == p.CarrierCode)
                                           && (s.UnitCode is null || s.UnitCode == p.UnitCode)))
            .Select(p => new AlertNotice(p.AlertId, p.Kind, 0, p.Rule.Code, p.Rule.NameVi, p.Rule.NameEn, p.Rule.Severity, p.Rule.Metric, p.Rule.Comparison,
                p.Episode?.Threshold ?? p.Rule.Threshold, p.Episode?.Value, p.CarrierCode, p.CarrierName, p.UnitCode, units.GetValueOrDefault(p.UnitCode),
                p.Episode?.StartedOn ?? today, p.Episode?.FiringOn, p.Episode?.ResolvedOn ?? (p.Episode is null ? today : null), p.Rule.Channels))
            .ToList();
    }
}
