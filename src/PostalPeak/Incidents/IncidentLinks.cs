using Dapper;
using Npgsql;

namespace PostalPeak.Incidents;

/// <summary>An incident as an alert's page names it.</summary>
public sealed record RelatedIncident(long Id, string Type, string Severity, string State, string Description, DateTime StartedAt);

/// <summary>An alert as an incident's page names it.</summary>
public sealed record RelatedAlert(long Id, string RuleNameVi, string RuleNameEn, string Severity, string State, string UnitCode, string? UnitName,
    DateOnly StartedOn, DateOnly? ResolvedOn);

/// <summary>
/// Alerts and incidents that belong together, both ways. Whether they do is decided in one place, the SQL function
/// <c>incident_relates_to_alert</c> (same carrier, overlapping days, a unit in common when both name units), so that an
/// alert's page and an incident's page never disagree. Both sides are the same carrier's: whoever may see one may see the other.
/// </summary>
public static class IncidentLinks
{
    public static async Task<IReadOnlyList<RelatedIncident>> ForAlertAsync(NpgsqlConnection connection, long alertId, string zone, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        const string sql = """
            select i.id, i.type, i.severity, i.state, i.description, i.started_at
            from alert a join incident i on incident_relates_to_alert(i, a, @zone)
            where a.id = @alertId
            order by i.started_at, i.id
            """;
        return (await connection.QueryAsync<RelatedIncident>(new CommandDefinition(sql, new { alertId, zone }, cancellationToken: ct))).AsList();
    }

    public static async Task<IReadOnlyList<RelatedAlert>> ForIncidentAsync(NpgsqlConnection connection, long incidentId, string zone, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        const string sql = """
            select a.id, r.name_vi as rule_name_vi, r.name_en as rule_name_en, r.severity, a.state, a.unit_code, unit_name(a.unit_code) as unit_name,
                   a.started_on, a.resolved_on
            from incident i join alert a on incident_relates_to_alert(i, a, @zone) join alert_rule r on r.id = a.rule_id
            where i.id = @incidentId
            order by a.started_on, a.id
            """;
        return (await connection.QueryAsync<RelatedAlert>(new CommandDefinition(sql, new { incidentId, zone }, cancellationToken: ct))).AsList();
    }
}
