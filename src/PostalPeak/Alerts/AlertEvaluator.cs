using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using PostalPeak.Compliance;
using PostalPeak.Indicators;
using PostalPeak.Jobs;
using PostalPeak.Shell;
using PostalPeak.Storage;

namespace PostalPeak.Alerts;

/// <summary>
/// Evaluates every enabled rule over one carrier's data and brings the stored alerts in line with what the
/// data say (<see cref="AlertWalk"/>). The alerts follow from the data alone, so evaluating the same data
/// again changes nothing and sends nothing; a correction that removes a condition withdraws its open alert.
/// </summary>
public sealed class AlertEvaluator(NpgsqlDataSource db, AlertNotifier notifier, TimeProvider clock, IOptions<ComplianceOptions> compliance,
    IOptions<JobsOptions> jobs, IOptions<AlertsOptions> options, ILogger<AlertEvaluator> logger, Duty.DutyRosters rosters)
{
    public sealed record Result(int CarrierId, int Rules, int Opened, int Fired, int Resolved, int Withdrawn, int Notices, TimeSpan Elapsed);

    private sealed record Stored(long Id, int RuleId, string UnitCode, string State, DateOnly StartedOn, DateOnly? FiringOn, DateOnly LastHeldOn,
        DateOnly? ResolvedOn, double? Value, double? Threshold)
    {
        public bool IsOpen => State != "resolved";

        public bool Overlaps(AlertEpisode episode) => StartedOn <= episode.LastHeldOn && episode.StartedOn <= LastHeldOn;
    }

    private sealed record CarrierRow(int Id, string Code, string Name, DateOnly? FirstReport, DateOnly? LastReport);

    /// <summary>
    /// The job queued after an upload's indicator refresh: the units the upload wrote (their series are the only
    /// ones the refresh changed) and the carrier's missing reports. The scheduled run still covers everything.
    /// </summary>
    public async Task<Result?> EvaluateAfterUploadAsync(long uploadId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var carrierId = await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(
            "select carrier_id from upload where id = @uploadId and status = 'accepted'", new { uploadId }, cancellationToken: cancellationToken));
        if (carrierId is null)
            return null;
        var units = (await connection.QueryAsync<string>(new CommandDefinition(
            "select distinct unit_code from daily_report where upload_id = @uploadId", new { uploadId }, cancellationToken: cancellationToken))).ToArray();
        return await EvaluateCarrierAsync(carrierId.Value, cancellationToken, units);
    }

    /// <summary>
    /// The job queued after a roster file is accepted: a day it covers ends its duty_roster_missing alert at once. The carrier's
    /// other rules are evaluated too; their alerts follow from the data, so that changes nothing else.
    /// </summary>
    public async Task<Result?> EvaluateAfterRosterAsync(long rosterUploadId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var carrierId = await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(
            "select carrier_id from duty_roster_upload where id = @rosterUploadId and status = 'accepted'", new { rosterUploadId }, cancellationToken: cancellationToken));
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

    /// <summary>Every rule over the carrier's data; with <paramref name="units"/>, over those units' series only (and the carrier's missing reports).</summary>
    public async Task<Result> EvaluateCarrierAsync(int carrierId, CancellationToken cancellationToken, string[]? units = null)
    {
        var watch = Stopwatch.StartNew();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The carrier's upload lock: never evaluate half-written reports or indicators, and one evaluation at a time.
        await connection.ExecuteAsync(new CommandDefinition(AdvisoryLocks.LockCarrier, new { carrierId }, transaction, cancellationToken: cancellationToken));
        var carrier = await connection.QuerySingleAsync<CarrierRow>(new CommandDefinition("""
            select c.id, c.code, c.name, (select min(report_date) from daily_report r where r.carrier_id = c.id) as first_report,
                   (select max(report_date) from daily_report r where r.carrier_id = c.id) as last_report
            from carrier c where c.id = @carrierId
            """, new { carrierId }, transaction, cancellationToken: cancellationToken));
        var rules = (await AlertRules.LoadEnabledAsync(connection, transaction, cancellationToken)).Where(r => r.CarrierCode is null || r.CarrierCode == carrier.Code).ToList();
        var phases = await PhasesAsync(connection, transaction, cancellationToken);
        var samples = (await connection.QueryAsync<IndicatorSample>(new CommandDefinition($"""
            select unit_code, report_date, {string.Join(", ", IndicatorSample.Columns)}, {IndicatorSample.BaseColumns}
            from daily_indicator where carrier_id = @carrierId and (@units::text[] is null or unit_code = any(@units)) order by unit_code, report_date
            """, new { carrierId, units }, transaction, cancellationToken: cancellationToken))).ToLookup(s => s.UnitCode);
        var reportedDays = (await connection.QueryAsync<DateOnly>(new CommandDefinition(
            "select distinct report_date from daily_report where carrier_id = @carrierId", new { carrierId }, transaction, cancellationToken: cancellationToken))).ToHashSet();
        var stored = (await connection.QueryAsync<Stored>(new CommandDefinition("""
            select id, rule_id, unit_code, state, started_on, firing_on, last_held_on, resolved_on, value, threshold
            from alert where carrier_id = @carrierId and (@units::text[] is null or unit_code = '' or unit_code = any(@units))
            """, new { carrierId, units }, transaction, cancellationToken: cancellationToken))).ToLookup(a => (a.RuleId, a.UnitCode));

        var counts = new int[5];
        var notices = new List<AlertNotifier.Pending>();
        var today = clock.TodayIn(jobs.Value.TimeZone);
        var dutyDays = rules.Any(r => r.Metric == MetricCatalogue.DutyRosterMissing.Code)
            ? await Duty.DutyRosters.DaysToJudgeAsync(connection, transaction, carrierId, today, cancellationToken)
            : [];
        var evaluated = new HashSet<(int RuleId, string Unit)>();
        foreach (var rule in rules)
        {
            var series = rule.Metric == MetricCatalogue.MissingReport.Code
                ? [("", MissingReportDays(carrier, phases, reportedDays, rule, stored[(rule.Id, "")].Any(a => a.IsOpen), today))]
                : rule.Metric == MetricCatalogue.DutyRosterMissing.Code
                ? [("", RosterMissingDays(dutyDays, rule))]
                : samples.Where(s => rule.Covers(carrier.Code, s.Key))
                    .Select(s => (Unit: s.Key, Days: s.Select(d => new AlertDay(d.ReportDate, d.Value(rule.Metric, rule.MinBase), rule.ThresholdIn(phases.GetValueOrDefault(d.ReportDate)))).ToList()))
                    .ToList();
            foreach (var (unit, days) in series)
            {
                evaluated.Add((rule.Id, unit));
                var episodes = AlertWalk.Episodes(days, rule.Comparison, rule.ForDays, rule.KeepFiringForDays);
                var gone = unit.Length > 0 && AlertWalk.EndIfGone(episodes, days.Count > 0 ? days[^1].Date : null, carrier.LastReport, options.Value.UnitGoneAfterDays);
                await ReconcileAsync(connection, transaction, rule, carrier, unit, episodes, stored[(rule.Id, unit)].ToList(), today, gone, counts, notices, cancellationToken);
            }
        }
        counts[3] += await EndOrphansAsync(connection, transaction, rules, carrier, today, stored, evaluated, cancellationToken);
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
    /// between reports, and the days after the latest report when the silence began recently
    /// (<see cref="AlertsOptions.TrailingMissingDays"/>) or has an open alert already. A day is never read as zeros.
    /// </summary>
    /// <remarks>
    /// The trailing days are all or nothing, counted from the day after the latest report: a window that slid
    /// with the clock would move the alert's first day every night, and a back-fill (a season loaded weeks
    /// late, file by file) would see every later day as missing.
    /// </remarks>
    private List<AlertDay> MissingReportDays(CarrierRow carrier, Dictionary<DateOnly, string?> phases, HashSet<DateOnly> reported, AlertRule rule,
        bool alreadyOpen, DateOnly today)
    {
        if (carrier.FirstReport is not { } first || carrier.LastReport is not { } last)
            return [];
        var zone = TimeZoneInfo.FindSystemTimeZoneById(jobs.Value.TimeZone);
        var now = clock.GetUtcNow();
        var recent = today.AddDays(-options.Value.TrailingMissingDays);
        var trailing = alreadyOpen || last.AddDays(1) >= recent;
        return phases.Keys.Where(d => d >= first && (d <= last || trailing)).Order()
            .Where(d => TimeZoneInfo.ConvertTimeToUtc(d.AddDays(1).ToDateTime(new TimeOnly(compliance.Value.DeadlineHour, 0)), zone) <= now)
            .Select(d => new AlertDay(d, reported.Contains(d) ? 0 : 1, rule.ThresholdIn(phases[d])))
            .ToList();
    }

    /// <summary>
    /// A day without a duty roster is a condition of its own (value 1 on a run-up or holiday day no roster entry covers, 0 on
    /// any other day), judged from its deadline on: <see cref="Duty.DutyOptions.RosterDeadlineHour"/> of the day before.
    /// The days that need no roster end an uncovered run like a covered day does.
    /// </summary>
    private List<AlertDay> RosterMissingDays(IReadOnlyList<Duty.DutyRosters.DutyDay> days, AlertRule rule)
    {
        var now = clock.GetUtcNow();
        return days.Where(d => rosters.DeadlineOf(d.DutyDate) <= now)
            .Select(d => new AlertDay(d.DutyDate, d.Required && !d.Covered ? 1 : 0, rule.ThresholdIn(d.Phase)))
            .ToList();
    }

    /// <summary>Every day of every season with its phase code (null outside any phase).</summary>
    private static async Task<Dictionary<DateOnly, string?>> PhasesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<(DateOnly Day, string? Phase)>(new CommandDefinition("""
            select report_date, phase from season_day
            """, transaction: transaction, cancellationToken: cancellationToken)))
            .ToDictionary(r => r.Day, r => r.Phase);

    /// <summary>
    /// Pairs each episode with the stored alert it continues: the one that began on the same day, else one whose
    /// days overlap it (a late report or a corrected figure moved the first day). Such an alert keeps its id,
    /// its acknowledgement and its messages, so nobody hears of the same trouble twice.
    /// </summary>
    private static Stored?[] Match(List<AlertEpisode> episodes, List<Stored> stored)
    {
        var matched = new Stored?[episodes.Count];
        var used = new HashSet<long>();
        for (var i = 0; i < episodes.Count; i++)
        {
            matched[i] = stored.FirstOrDefault(s => s.StartedOn == episodes[i].StartedOn);
            if (matched[i] is { } exact)
                used.Add(exact.Id);
        }
        for (var i = 0; i < episodes.Count; i++)
        {
            if (matched[i] is not null)
                continue;
            matched[i] = stored.Where(s => !used.Contains(s.Id) && s.Overlaps(episodes[i]))
                .OrderByDescending(s => s.IsOpen).ThenByDescending(s => s.FiringOn is not null).ThenBy(s => s.StartedOn).FirstOrDefault();
            if (matched[i] is { } overlapping)
                used.Add(overlapping.Id);
        }
        return matched;
    }

    private static async Task ReconcileAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, AlertRule rule, CarrierRow carrier, string unit,
        List<AlertEpisode> episodes, List<Stored> stored, DateOnly today, bool unitGone, int[] counts, List<AlertNotifier.Pending> notices,
        CancellationToken cancellationToken)
    {
        var matched = Match(episodes, stored);
        // Open alerts the data no longer support (a corrected figure): closed first, so that one open alert per key holds.
        foreach (var gone in stored.Where(s => s.IsOpen && !matched.Contains(s)))
        {
            // A corrected day between two alerts joins them: the trouble goes on under the earlier one, so this end is not news.
            var joined = episodes.FirstOrDefault(e => gone.Overlaps(e));
            await WithdrawAsync(connection, transaction, gone.Id, joined is null
                ? "The reports no longer show the condition (corrected or re-evaluated)."
                : $"Joined to the alert that began on {joined.StartedOn:yyyy-MM-dd}: the reports show no end between them.", cancellationToken);
            counts[3]++;
            // Only an alert people were told about needs its end announced: with the figures it had, ending today.
            if (joined is null && gone.FiringOn is not null && await AnnouncedAsync(connection, transaction, gone.Id, cancellationToken))
                notices.Add(new AlertNotifier.Pending(gone.Id, "resolved", rule, carrier.Code, carrier.Name, unit,
                    new AlertEpisode(gone.StartedOn, gone.FiringOn, gone.LastHeldOn, today, gone.Value, gone.Threshold)));
        }
        for (var i = 0; i < episodes.Count; i++)
        {
            var episode = episodes[i];
            var before = matched[i];
            var parameters = new
            {
                id = before?.Id, ruleId = rule.Id, carrierId = carrier.Id, unit, episode.State, episode.StartedOn, episode.FiringOn, episode.LastHeldOn,
                episode.ResolvedOn, episode.Value, episode.Threshold,
            };
            // No row comes back when nothing changed: the stored alert is already what the data say.
            var id = before is null
                ? await connection.QuerySingleAsync<long>(new CommandDefinition("""
                    insert into alert (rule_id, carrier_id, unit_code, state, started_on, firing_on, last_held_on, resolved_on, value, threshold,
                                       raised_at, resolved_at)
                    values (@ruleId, @carrierId, @unit, @State, @StartedOn, @FiringOn, @LastHeldOn, @ResolvedOn, @Value, @Threshold,
                            case when @FiringOn::date is not null then now() end, case when @ResolvedOn::date is not null then now() end)
                    returning id
                    """, parameters, transaction, cancellationToken: cancellationToken))
                : await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("""
                    update alert
                    set state = @State, started_on = @StartedOn, firing_on = @FiringOn, last_held_on = @LastHeldOn, resolved_on = @ResolvedOn,
                        value = @Value, threshold = @Threshold,
                        raised_at = coalesce(raised_at, case when @FiringOn::date is not null then now() end),
                        resolved_at = case when @ResolvedOn::date is null then null else coalesce(resolved_at, now()) end,
                        updated_at = now()
                    where id = @id
                      and (state, started_on, firing_on, last_held_on, resolved_on, value, threshold)
                          is distinct from (@State, @StartedOn, @FiringOn::date, @LastHeldOn, @ResolvedOn::date, @Value::double precision, @Threshold::double precision)
                    returning id
                    """, parameters, transaction, cancellationToken: cancellationToken)) ?? before.Id;
            if (before is null)
            {
                counts[0]++;
                await EventAsync(connection, transaction, id, "pending", episode.StartedOn, cancellationToken);
            }
            else if (before.StartedOn != episode.StartedOn)
                await EventAsync(connection, transaction, id, "moved", episode.StartedOn, cancellationToken,
                    $"Began on {episode.StartedOn:yyyy-MM-dd}, not {before.StartedOn:yyyy-MM-dd}: a report arrived late or was corrected.");
            // A late or corrected report (or a unit back in the reports) shows the condition past its end. The hourly
            // reminder job tells people again, as the alert is firing and its last message is old.
            if (before is { State: "resolved" } && episode.ResolvedOn is null)
                await EventAsync(connection, transaction, id, "reopened", episode.LastHeldOn, cancellationToken,
                    $"Ended on {before.ResolvedOn:yyyy-MM-dd}, but the reports show the condition again.");
            if (episode.FiringOn is { } firingOn && before?.FiringOn is null)
            {
                counts[1]++;
                await EventAsync(connection, transaction, id, "firing", firingOn, cancellationToken);
                notices.Add(new AlertNotifier.Pending(id, "firing", rule, carrier.Code, carrier.Name, unit, episode));
            }
            if (episode.ResolvedOn is { } resolvedOn && before?.State != "resolved")
            {
                counts[2]++;
                // Ended because the unit left the reports: nothing got better, so nobody is told it did.
                var gone = unitGone && i == episodes.Count - 1;
                await EventAsync(connection, transaction, id, "resolved", resolvedOn, cancellationToken,
                    gone ? "The unit is no longer in the carrier's reports." : null);
                if (episode.FiringOn is not null && !gone)
                    notices.Add(new AlertNotifier.Pending(id, "resolved", rule, carrier.Code, carrier.Name, unit, episode));
            }
        }
    }

    /// <summary>
    /// Open alerts of a rule that was disabled, or narrowed to other carriers or units, would otherwise stay open
    /// for ever: nothing evaluates them any more. They are withdrawn without a message, the administrator's
    /// change being the reason (and in the audit log).
    /// </summary>
    private static async Task<int> EndOrphansAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<AlertRule> rules, CarrierRow carrier,
        DateOnly today, ILookup<(int RuleId, string UnitCode), Stored> stored, HashSet<(int RuleId, string Unit)> evaluated, CancellationToken cancellationToken)
    {
        var ended = 0;
        var byId = rules.ToDictionary(r => r.Id);
        foreach (var alert in stored.SelectMany(g => g).Where(a => a.IsOpen && !evaluated.Contains((a.RuleId, a.UnitCode))))
        {
            // A rule that still applies but found no data for the unit this time is not a reason to end anything.
            if (byId.TryGetValue(alert.RuleId, out var rule) && (MetricCatalogue.IsDayCount(rule.Metric) || rule.Covers(carrier.Code, alert.UnitCode)))
                continue;
            // It was real while the rule applied, and stays in the history as an alert that fired and ended.
            await WithdrawAsync(connection, transaction, alert.Id, "The rule was disabled or no longer covers this carrier or unit.", cancellationToken, today);
            ended++;
        }
        return ended;
    }

    private static async Task<bool> AnnouncedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long alertId, CancellationToken cancellationToken) =>
        await connection.QuerySingleAsync<bool>(new CommandDefinition(
            "select exists (select 1 from notification where alert_id = @alertId and kind = 'firing')", new { alertId }, transaction, cancellationToken: cancellationToken));

    /// <summary>
    /// Closes an open alert outside the walk. Without <paramref name="endedBy"/> it keeps no report day of its
    /// own, which marks it as never real (the corrected data do not have it) for the digest, charts and summary;
    /// with it, it ends on the day after it last held (at the latest <paramref name="endedBy"/>).
    /// </summary>
    private static Task<int> WithdrawAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long alertId, string note,
        CancellationToken cancellationToken, DateOnly? endedBy = null) =>
        connection.ExecuteAsync(new CommandDefinition("""
            update alert set state = 'resolved', resolved_on = case when @endedBy::date is not null then least(last_held_on + 1, @endedBy) end, resolved_at = now(), updated_at = now()
            where id = @alertId;
            insert into alert_event (alert_id, kind, report_date, note)
            select id, 'withdrawn', resolved_on, @note from alert where id = @alertId;
            """, new { alertId, note, endedBy }, transaction, cancellationToken: cancellationToken));

    private static Task<int> EventAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long alertId, string kind, DateOnly reportDate,
        CancellationToken cancellationToken, string? note = null) =>
        connection.ExecuteAsync(new CommandDefinition("insert into alert_event (alert_id, kind, report_date, note) values (@alertId, @kind, @reportDate, @note)",
            new { alertId, kind, reportDate, note }, transaction, cancellationToken: cancellationToken));
}
