using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using PostalPeak.Audit;
using PostalPeak.Indicators;
using PostalPeak.Jobs;
using PostalPeak.Shell;

namespace PostalPeak.Alerts;

public sealed record AlertSummary
{
    public long Id { get; init; }
    public string RuleCode { get; init; } = "";
    public string RuleNameVi { get; init; } = "";
    public string RuleNameEn { get; init; } = "";
    public string Severity { get; init; } = "";
    public string Metric { get; init; } = "";
    public string Comparison { get; init; } = "";
    public string CarrierCode { get; init; } = "";
    public string UnitCode { get; init; } = "";
    public string? UnitName { get; init; }
    public string State { get; init; } = "";
    public DateOnly StartedOn { get; init; }
    public DateOnly? FiringOn { get; init; }
    public DateOnly LastHeldOn { get; init; }
    public DateOnly? ResolvedOn { get; init; }
    public double? Value { get; init; }
    public double? Threshold { get; init; }
    public DateTime OpenedAt { get; init; }
    public DateTime? RaisedAt { get; init; }
    public DateTime? ResolvedAt { get; init; }
    public DateTime? AcknowledgedAt { get; init; }
    public string? AcknowledgedBy { get; init; }
    public string? AcknowledgeNote { get; init; }
    /// <summary>The latest end of the silences in force that cover this alert: no notification goes out before it.</summary>
    public DateTime? SilencedUntil { get; init; }
}

public sealed record AlertEventRow(DateTime At, string Kind, DateOnly? ReportDate, string? Actor, string? Note);

/// <summary>One day of the series behind an alert. Reported is set only for a missing report, whose value is 1 on a missing day and 0 otherwise.</summary>
public sealed record AlertSeriesPoint(DateOnly ReportDate, double? Value,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] bool? Reported = null);

/// <param name="Incidents">The incidents the alert relates to (<see cref="Incidents.IncidentLinks"/>); the API gives their ids.</param>
public sealed record AlertDetail(AlertSummary Alert, IReadOnlyList<AlertEventRow> Events, IReadOnlyList<AlertSeriesPoint> Series,
    [property: System.Text.Json.Serialization.JsonIgnore] IReadOnlyList<Incidents.RelatedIncident> Incidents)
{
    public IReadOnlyList<long> RelatedIncidents => [.. Incidents.Select(i => i.Id)];
}

public sealed record AlertFilter(string? State, string? CarrierCode, string? RuleCode, string? UnitCode, DateOnly? From, DateOnly? To, int Limit = 200);

public sealed record Silence
{
    public int Id { get; init; }
    public string? RuleCode { get; init; }
    public string? CarrierCode { get; init; }
    public string? UnitCode { get; init; }
    public DateTime EndsAt { get; init; }
    public string Reason { get; init; } = "";
    public string CreatedBy { get; init; } = "";
    public DateTime CreatedAt { get; init; }
    public DateTime? CancelledAt { get; init; }
}

/// <summary>Alerts as people see and handle them: lists, detail with the series behind them, acknowledgement, silences.</summary>
public sealed class AlertStore(NpgsqlDataSource db, IOptions<JobsOptions> jobs)
{
    private const string Select = """
        select a.id, r.code as rule_code, r.name_vi as rule_name_vi, r.name_en as rule_name_en, r.severity, r.metric, r.comparison,
               c.code as carrier_code, a.unit_code,
               unit_name(a.unit_code) as unit_name,
               a.state, a.started_on, a.firing_on, a.last_held_on, a.resolved_on, a.value, a.threshold,
               a.opened_at, a.raised_at, a.resolved_at, a.acknowledged_at, a.acknowledged_by, a.acknowledge_note,
               (select max(s.ends_at) from alert_silence s
                where s.cancelled_at is null and s.ends_at > now()
                  and (s.rule_id is null or s.rule_id = a.rule_id) and (s.carrier_id is null or s.carrier_id = a.carrier_id)
                  and (s.unit_code is null or s.unit_code = a.unit_code)) as silenced_until
        from alert a join alert_rule r on r.id = a.rule_id join carrier c on c.id = a.carrier_id
        """;

    public async Task<IReadOnlyList<AlertSummary>> ListAsync(AlertFilter filter, CancellationToken cancellationToken = default)
    {
        if (filter.State is not (null or "open" or "pending" or "firing" or "resolved"))
            throw new InputException("invalid_state", "state must be open, pending, firing or resolved.");
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<AlertSummary>(new CommandDefinition(Select + """

            where (@state::text is null or a.state = @state or (@state = 'open' and a.state <> 'resolved'))
              and (@carrier::text is null or c.code = @carrier)
              and (@rule::text is null or r.code = @rule)
              and (@unit::text is null or a.unit_code = @unit)
              and (@from::date is null or coalesce(a.resolved_on, a.last_held_on) >= @from)
              and (@to::date is null or a.started_on <= @to)
            order by case a.state when 'firing' then 0 when 'pending' then 1 else 2 end,
                     case r.severity when 'critical' then 0 when 'warning' then 1 else 2 end, a.started_on desc, a.id desc
            limit @limit
            """, new
        {
            state = filter.State, carrier = Carriers.CarrierCodes.NormalizeOrNull(filter.CarrierCode), rule = filter.RuleCode, unit = filter.UnitCode,
            from = filter.From, to = filter.To, limit = Math.Clamp(filter.Limit, 1, 2000),
        }, cancellationToken: cancellationToken))).AsList();
    }

    public Task<AlertDetail> GetAsync(long id, CancellationToken cancellationToken = default) => GetAsync(id, null, cancellationToken);

    /// <summary>
    /// One alert as <paramref name="reader"/> may see it. Another carrier's alert is not found, in the very words of
    /// an alert that does not exist (and before its history is read), so ids tell a carrier nothing about the others.
    /// </summary>
    public Task<AlertDetail> GetForAsync(long id, Accounts.CarrierScope reader, CancellationToken cancellationToken = default) =>
        GetAsync(id, reader, cancellationToken);

    private async Task<AlertDetail> GetAsync(long id, Accounts.CarrierScope? reader, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var alert = await connection.QuerySingleOrDefaultAsync<AlertSummary>(new CommandDefinition(Select + " where a.id = @id", new { id }, cancellationToken: cancellationToken));
        if (alert is null || (reader is not null && !reader.MayActFor(alert.CarrierCode)))
            throw InputException.NotFound("alert", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var events = (await connection.QueryAsync<AlertEventRow>(new CommandDefinition(
            "select at, kind, report_date, actor, note from alert_event where alert_id = @id order by id", new { id }, cancellationToken: cancellationToken))).AsList();
        // The series behind the alert: its metric from a week before it started to a week after it ended; a missing
        // report has no metric, so its days instead.
        var series = alert.Metric == MetricCatalogue.MissingReport.Code
            ? await ReportDaysAsync(connection, alert, cancellationToken)
            : alert.Metric == MetricCatalogue.DutyRosterMissing.Code
            ? await RosterDaysAsync(connection, alert, cancellationToken)
            : (await connection.QueryAsync<AlertSeriesPoint>(new CommandDefinition($"""
                select i.report_date, i.{Column(alert.Metric)}::float8 as value, null::boolean as reported
                from daily_indicator i join carrier c on c.id = i.carrier_id
                where c.code = @CarrierCode and i.unit_code = @UnitCode
                  and i.report_date between @StartedOn - 7 and coalesce(@ResolvedOn, @LastHeldOn) + 7
                order by i.report_date
                """, new { alert.CarrierCode, alert.UnitCode, alert.StartedOn, alert.ResolvedOn, alert.LastHeldOn }, cancellationToken: cancellationToken))).AsList();
        return new AlertDetail(alert, events, series, await Incidents.IncidentLinks.ForAlertAsync(connection, id, jobs.Value.TimeZone, cancellationToken));
    }

    /// <summary>
    /// A missing report has no indicator behind it, so what triggered it is the carrier's report days: from a week
    /// before the episode to its last missing day (or the day it resolved), each reported (value 0) or missing
    /// (value 1, the evaluator's reading). Only days the evaluator judges: season days from the carrier's first report.
    /// </summary>
    private static async Task<List<AlertSeriesPoint>> ReportDaysAsync(NpgsqlConnection connection, AlertSummary alert, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<AlertSeriesPoint>(new CommandDefinition("""
            select d::date as report_date, case when r.reported then 0 else 1 end::float8 as value, r.reported
            from carrier c
            cross join generate_series(greatest(@StartedOn - 7, (select min(f.report_date) from daily_report f where f.carrier_id = c.id)),
                                       coalesce(@ResolvedOn, @LastHeldOn), interval '1 day') d
            cross join lateral (select exists (select 1 from daily_report r where r.carrier_id = c.id and r.report_date = d::date) as reported) r
            where c.code = @CarrierCode
              and exists (select 1 from season s where d::date between s.tet_date + s.from_offset and s.tet_date + s.to_offset)
            order by d
            """, new { alert.CarrierCode, alert.StartedOn, alert.ResolvedOn, alert.LastHeldOn }, cancellationToken: cancellationToken))).AsList();

    /// <summary>
    /// A missing roster's days: the run-up and holiday days from a week before the episode to its end, each covered (value 0,
    /// Reported true) or not (value 1), as the rule reads them (duty_roster_days).
    /// </summary>
    private static async Task<List<AlertSeriesPoint>> RosterDaysAsync(NpgsqlConnection connection, AlertSummary alert, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<AlertSeriesPoint>(new CommandDefinition("""
            select d.duty_date as report_date, case when d.covered then 0 else 1 end::float8 as value, d.covered as reported
            from carrier c
            cross join lateral duty_roster_days(c.id, @StartedOn - 7, coalesce(@ResolvedOn, @LastHeldOn)) d
            where c.code = @CarrierCode and d.required
            order by d.duty_date
            """, new { alert.CarrierCode, alert.StartedOn, alert.ResolvedOn, alert.LastHeldOn }, cancellationToken: cancellationToken))).AsList();

    /// <summary>Only a known metric name ever reaches the SQL text.</summary>
    private static string Column(string metric) =>
        IndicatorSample.Columns.Contains(metric) ? metric : throw new ArgumentOutOfRangeException(nameof(metric), metric, "Not an indicator metric.");

    /// <summary>Stops reminders for a firing alert; firing and resolve messages still go out.</summary>
    public async Task<AlertSummary> AcknowledgeAsync(long id, string? note, Actor actor)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var carrierId = await connection.QuerySingleOrDefaultAsync<int?>("""
            update alert set acknowledged_at = now(), acknowledged_by = @Name, acknowledge_note = @note, updated_at = now()
            where id = @id and state <> 'resolved'
            returning carrier_id
            """, new { id, actor.Name, note = note?.Trim() }, transaction)
            ?? throw new InputException("not_open", $"Alert {id} does not exist or is resolved already.", StatusCodes.Status409Conflict);
        await connection.ExecuteAsync("insert into alert_event (alert_id, kind, actor, note) values (@id, 'acknowledged', @Name, @note)",
            new { id, actor.Name, note = note?.Trim() }, transaction);
        await AuditLog.WriteAsync(connection, transaction, actor, "alert.acknowledge", "alert", id.ToString(System.Globalization.CultureInfo.InvariantCulture), carrierId, new { note });
        await transaction.CommitAsync();
        return (await GetAsync(id)).Alert;
    }

    public async Task<IReadOnlyList<Silence>> SilencesAsync(bool activeOnly, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<Silence>(new CommandDefinition("""
            select s.id, r.code as rule_code, c.code as carrier_code, s.unit_code, s.ends_at, s.reason, s.created_by, s.created_at, s.cancelled_at
            from alert_silence s left join alert_rule r on r.id = s.rule_id left join carrier c on c.id = s.carrier_id
            where not @activeOnly or (s.cancelled_at is null and s.ends_at > now())
            order by s.id desc
            """, new { activeOnly }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>
    /// Silences notifications (not evaluation) until a time, for a rule, a carrier, a unit, or any combination; a
    /// blank code means any. An end without an offset is read in the jobs' time zone (Vietnam time).
    /// </summary>
    public async Task<Silence> SilenceAsync(string? ruleCode, string? carrierCode, string? unitCode, DateTime endsAt, string reason, Actor actor, TimeProvider clock)
    {
        ruleCode = Blank(ruleCode);
        carrierCode = Carriers.CarrierCodes.NormalizeOrNull(carrierCode);
        unitCode = Blank(unitCode);
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 500)
            throw new InputException("reason_required", "Say why, in at most 500 characters.");
        var endsAtUtc = endsAt.ToUtcFrom(jobs.Value.TimeZone)
            ?? throw new InputException("invalid_end", string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{endsAt:yyyy-MM-dd HH:mm} does not exist in {jobs.Value.TimeZone} (the clocks skip it)."));
        if (endsAtUtc <= clock.GetUtcNow().UtcDateTime)
            throw new InputException("invalid_end", "A silence must end in the future.");
        if (ruleCode is null && carrierCode is null && unitCode is null)
            throw new InputException("scope_required", "Silence a rule, a carrier, a unit, or a combination: not everything.");
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        int? ruleId = ruleCode is null ? null
            : await connection.QuerySingleOrDefaultAsync<int?>("select id from alert_rule where code = @ruleCode", new { ruleCode }, transaction)
              ?? throw new InputException("unknown_rule", $"No alert rule '{ruleCode}'.");
        int? carrierId = carrierCode is null ? null
            : await connection.QuerySingleOrDefaultAsync<int?>("select id from carrier where code = @carrierCode", new { carrierCode }, transaction)
              ?? throw new InputException("unknown_carrier", $"No carrier '{carrierCode}'.");
        var id = await connection.QuerySingleAsync<int>("""
            insert into alert_silence (rule_id, carrier_id, unit_code, ends_at, reason, created_by)
            values (@ruleId, @carrierId, @unitCode, @endsAtUtc, @reason, @Name)
            returning id
            """, new { ruleId, carrierId, unitCode, endsAtUtc, reason = reason.Trim(), actor.Name }, transaction);
        // The open alerts it quiets say so in their history: otherwise the messages stop with no trace on the alert.
        // Coverage matches AlertNotifier's: a unit silence leaves a carrier-wide alert (unit '') alone.
        await connection.ExecuteAsync("""
            insert into alert_event (alert_id, kind, actor, note)
            select a.id, 'silenced', @Name, @reason
            from alert a
            where a.state <> 'resolved'
              and (@ruleId::integer is null or a.rule_id = @ruleId)
              and (@carrierId::integer is null or a.carrier_id = @carrierId)
              and (@unitCode::text is null or a.unit_code = @unitCode)
            order by a.id
            """, new { ruleId, carrierId, unitCode, reason = reason.Trim(), actor.Name }, transaction);
        await AuditLog.WriteAsync(connection, transaction, actor, "alert.silence", "alert_silence", id.ToString(System.Globalization.CultureInfo.InvariantCulture), carrierId,
            new { ruleCode, carrierCode, unitCode, endsAt = endsAtUtc, reason });
        await transaction.CommitAsync();
        return (await SilencesAsync(false)).Single(s => s.Id == id);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    public async Task CancelSilenceAsync(int id, Actor actor)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var cancelled = await connection.ExecuteAsync("""
            update alert_silence set cancelled_at = now(), cancelled_by = @Name where id = @id and cancelled_at is null
            """, new { id, actor.Name }, transaction);
        if (cancelled == 0)
            throw InputException.NotFound("active silence", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await AuditLog.WriteAsync(connection, transaction, actor, "alert.silence_cancel", "alert_silence", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await transaction.CommitAsync();
    }
}
