using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using PostalPeak.Compliance;
using PostalPeak.Jobs;

namespace PostalPeak.Alerts;

/// <summary>
/// Evaluates every enabled rule over one carrier's data and brings the stored alerts in line with what the
/// data say (<see cref="AlertWalk"/>). The alerts follow from the data alone, so evaluating the same data
/// again changes nothing and sends nothing; a correction that removes a condition withdraws its open alert.
/// </summary>
public sealed class AlertEvaluator(NpgsqlDataSource db, AlertNotifier notifier, TimeProvider clock, IOptions<ComplianceOptions> compliance,
    IOptions<JobsOptions> jobs, IOptions<AlertsOptions> options, ILogger<AlertEvaluator> logger)
{
    public sealed record Result(int CarrierId, int Rules, int Opened, int Fired, int Resolved, int Withdrawn, int Notices, TimeSpan Elapsed);

    private sealed record Stored(long Id, int RuleId, string UnitCode, string State, DateOnly StartedOn, DateOnly? FiringOn);

    private sealed record CarrierRow(int Id, string Code, string Name, DateOnly? FirstReport, DateOnly? LastReport);

    /// <summary>The job queued after an upload's indicator refresh.</summary>
    public async Task<Result?> EvaluateAfterUploadAsync(long uploadId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var carrierId = await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(
            "select carrier_id from upload where id = @uploadId and status = 'accepted'", new { uploadId }, cancellationToken: cancellationToken));
        return carrierId is null ? null : await EvaluateCarrierAsync(carrierId.Value, cancellationToken);
    }

    /// <summary>The scheduled job (missing reports become known at the deadline hour) and the one after a rule changes.</summary>
    public async Task<IReadOnlyList<Result>> EvaluateAllAsync(CancellationToken cancellationToken)
    {
        List<int> carriers;
        await using (var connection = await db.OpenConnectionAsync(cancellationToken))
            carriers = (await connection.QueryAsync<int>(new CommandDefinition("select id from carrier where active order by id", cancellationToken: cancellationToken))).AsList();
        var results = new List<Result>();
        foreach (var carrierId in carriers)
            results.Add(await EvaluateCarrierAsync(carrierId, cancellationToken));
        return results;
    }

    public async Task<Result> EvaluateCarrierAsync(int carrierId, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The carrier's upload lock: never evaluate half-written reports or indicators, and one evaluation at a time.
        await connection.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(20261128, @carrierId)", new { carrierId }, transaction, cancellationToken: cancellationToken));
        var carrier = await connection.QuerySingleAsync<CarrierRow>(new CommandDefinition("""
            select c.id, c.code, c.name, (select min(report_date) from daily_report r where r.carrier_id = c.id) as first_report,
                   (select max(report_date) from daily_report r where r.carrier_id = c.id) as last_report
            from carrier c where c.id = @carrierId
            """, new { carrierId }, transaction, cancellationToken: cancellationToken));
        var rules = (await AlertRules.LoadEnabledAsync(connection, transaction, cancellationToken)).Where(r => r.CarrierCode is null || r.CarrierCode == carrier.Code).ToList();
        var phases = await PhasesAsync(connection, transaction, cancellationToken);
        var samples = (await connection.QueryAsync<IndicatorSample>(new CommandDefinition($"""
            select unit_code, report_date, {string.Join(", ", IndicatorSample.Columns)}, {IndicatorSample.BaseColumns}
            from daily_indicator where carrier_id = @carrierId order by unit_code, report_date
            """, new { carrierId }, transaction, cancellationToken: cancellationToken))).ToLookup(s => s.UnitCode);
        var reportedDays = (await connection.QueryAsync<DateOnly>(new CommandDefinition(
            "select distinct report_date from daily_report where carrier_id = @carrierId", new { carrierId }, transaction, cancellationToken: cancellationToken))).ToHashSet();
        var stored = (await connection.QueryAsync<Stored>(new CommandDefinition("""
            select id, rule_id, unit_code, state, started_on, firing_on from alert where carrier_id = @carrierId
            """, new { carrierId }, transaction, cancellationToken: cancellationToken))).ToLookup(a => (a.RuleId, a.UnitCode));

        var counts = new int[5];
        var notices = new List<AlertNotifier.Pending>();
        foreach (var rule in rules)
        {
            var series = rule.Metric == "missing_report"
                ? [("", MissingReportDays(carrier, phases, reportedDays, rule))]
                : samples.Where(s => rule.Covers(carrier.Code, s.Key))
                    .Select(s => (Unit: s.Key, Days: s.Select(d => new AlertDay(d.ReportDate, d.Value(rule.Metric, rule.MinBase), rule.ThresholdIn(phases.GetValueOrDefault(d.ReportDate)))).ToList()))
                    .ToList();
            foreach (var (unit, days) in series)
            {
                var episodes = AlertWalk.Episodes(days, rule.Comparison, rule.ForDays, rule.KeepFiringForDays);
                await ReconcileAsync(connection, transaction, rule, carrier, unit, episodes, stored[(rule.Id, unit)].ToList(), counts, notices, cancellationToken);
            }
        }
        var queued = await notifier.QueueAsync(connection, transaction, notices, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        notifier.Dispatch(queued);
        var result = new Result(carrierId, rules.Count, counts[0], counts[1], counts[2], counts[3], queued.Count, watch.Elapsed);
        if (result.Opened + result.Fired + result.Resolved + result.Withdrawn > 0)
            logger.LogInformation("Alerts for {Carrier}: {Opened} opened, {Fired} fired, {Resolved} resolved, {Withdrawn} withdrawn, {Notices} notifications in {Elapsed} ms",
                carrier.Code, result.Opened, result.Fired, result.Resolved, result.Withdrawn, result.Notices, (long)result.Elapsed.TotalMilliseconds);
        return result;
    }

    /// <summary>
    /// A missing report is a condition of its own (value 1 on a day without any row from the carrier), judged
    /// only once the day's deadline has passed, on season days from the carrier's first report on: every gap
    /// between reports, and the days after the latest report while they are recent
    /// (<see cref="AlertsOptions.TrailingMissingDays"/>). A day is never read as zeros.
    /// </summary>
    private List<AlertDay> MissingReportDays(CarrierRow carrier, Dictionary<DateOnly, string?> phases, HashSet<DateOnly> reported, AlertRule rule)
    {
        if (carrier.FirstReport is not { } first)
            return [];
        var zone = TimeZoneInfo.FindSystemTimeZoneById(jobs.Value.TimeZone);
        var now = clock.GetUtcNow();
        var recent = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-options.Value.TrailingMissingDays);
        return phases.Keys.Where(d => d >= first && (d <= carrier.LastReport || d >= recent)).Order()
            .Where(d => TimeZoneInfo.ConvertTimeToUtc(d.AddDays(1).ToDateTime(new TimeOnly(compliance.Value.DeadlineHour, 0)), zone) <= now)
            .Select(d => new AlertDay(d, reported.Contains(d) ? 0 : 1, rule.ThresholdIn(phases[d])))
            .ToList();
    }

    /// <summary>Every day of every season with its phase code (null outside any phase).</summary>
    private static async Task<Dictionary<DateOnly, string?>> PhasesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<(DateOnly Day, string? Phase)>(new CommandDefinition("""
            select d::date, p.code
            from season s
            cross join generate_series(s.tet_date + s.from_offset, s.tet_date + s.to_offset, interval '1 day') d
            left join season_phase p on p.season_year = s.year and d::date - s.tet_date between p.from_offset and p.to_offset
            """, transaction: transaction, cancellationToken: cancellationToken)))
            .ToDictionary(r => r.Day, r => r.Phase);

    private static async Task ReconcileAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, AlertRule rule, CarrierRow carrier, string unit,
        List<AlertEpisode> episodes, List<Stored> stored, int[] counts, List<AlertNotifier.Pending> notices, CancellationToken cancellationToken)
    {
        var byStart = stored.ToDictionary(s => s.StartedOn);
        // Open alerts the data no longer support (a corrected figure): closed first, so that one open alert per key holds.
        foreach (var gone in stored.Where(s => s.State != "resolved" && episodes.All(e => e.StartedOn != s.StartedOn)))
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                update alert set state = 'resolved', resolved_at = now(), updated_at = now() where id = @Id;
                insert into alert_event (alert_id, kind, note) values (@Id, 'withdrawn', 'The reports no longer show the condition (corrected or re-evaluated).');
                """, new { gone.Id }, transaction, cancellationToken: cancellationToken));
            counts[3]++;
            // Only an alert people were told about needs its end announced.
            var announced = await connection.QuerySingleAsync<bool>(new CommandDefinition(
                "select exists (select 1 from notification where alert_id = @Id and kind = 'firing')", new { gone.Id }, transaction, cancellationToken: cancellationToken));
            if (gone.FiringOn is not null && announced)
                notices.Add(new AlertNotifier.Pending(gone.Id, "resolved", rule, carrier.Code, carrier.Name, unit, null));
        }
        foreach (var episode in episodes)
        {
            byStart.TryGetValue(episode.StartedOn, out var before);
            // No row comes back when nothing changed: the stored alert is already what the data say.
            var id = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("""
                insert into alert (rule_id, carrier_id, unit_code, state, started_on, firing_on, last_held_on, resolved_on, value, threshold,
                                   raised_at, resolved_at)
                values (@ruleId, @carrierId, @unit, @State, @StartedOn, @FiringOn, @LastHeldOn, @ResolvedOn, @Value, @Threshold,
                        case when @FiringOn::date is not null then now() end, case when @ResolvedOn::date is not null then now() end)
                on conflict (rule_id, carrier_id, unit_code, started_on) do update
                set state = excluded.state, firing_on = excluded.firing_on, last_held_on = excluded.last_held_on,
                    resolved_on = excluded.resolved_on, value = excluded.value, threshold = excluded.threshold,
                    raised_at = coalesce(alert.raised_at, excluded.raised_at),
                    resolved_at = case when excluded.resolved_on is null then null else coalesce(alert.resolved_at, excluded.resolved_at) end,
                    updated_at = now()
                where (alert.state, alert.firing_on, alert.last_held_on, alert.resolved_on, alert.value, alert.threshold)
                      is distinct from (excluded.state, excluded.firing_on, excluded.last_held_on, excluded.resolved_on, excluded.value, excluded.threshold)
                returning id
                """, new
            {
                ruleId = rule.Id, carrierId = carrier.Id, unit, episode.State, episode.StartedOn, episode.FiringOn, episode.LastHeldOn,
                episode.ResolvedOn, episode.Value, episode.Threshold,
            }, transaction, cancellationToken: cancellationToken)) ?? before!.Id;
            if (before is null)
            {
                counts[0]++;
                await EventAsync(connection, transaction, id, "pending", episode.StartedOn, cancellationToken);
            }
            if (episode.FiringOn is { } firingOn && before?.FiringOn is null)
            {
                counts[1]++;
                await EventAsync(connection, transaction, id, "firing", firingOn, cancellationToken);
                notices.Add(new AlertNotifier.Pending(id, "firing", rule, carrier.Code, carrier.Name, unit, episode));
            }
            if (episode.ResolvedOn is { } resolvedOn && before?.State != "resolved")
            {
                counts[2]++;
                await EventAsync(connection, transaction, id, "resolved", resolvedOn, cancellationToken);
                if (episode.FiringOn is not null)
                    notices.Add(new AlertNotifier.Pending(id, "resolved", rule, carrier.Code, carrier.Name, unit, episode));
            }
        }
    }

    private static Task<int> EventAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long alertId, string kind, DateOnly reportDate, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("insert into alert_event (alert_id, kind, report_date) values (@alertId, @kind, @reportDate)",
            new { alertId, kind, reportDate }, transaction, cancellationToken: cancellationToken));
}
