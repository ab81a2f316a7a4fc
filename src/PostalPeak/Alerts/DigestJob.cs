using System.Diagnostics;
using Dapper;
using Hangfire;
using Microsoft.Extensions.Options;
using Npgsql;
using PostalPeak.Indicators;
using PostalPeak.Jobs;
using PostalPeak.Shell;

namespace PostalPeak.Alerts;

/// <remarks>Init properties, as <see cref="Carriers.Carrier"/>: how Dapper reads a text[] column.</remarks>
public sealed record DigestCarrier
{
    public int Id { get; init; }
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public string[] ContactEmails { get; init; } = [];
}

public sealed record DigestAlert(long Id, string CarrierCode, string RuleCode, string RuleNameVi, string RuleNameEn, string Severity, string Metric, string Comparison,
    string UnitCode, string? UnitName, DateOnly StartedOn, DateOnly? FiringOn, DateOnly? ResolvedOn, double? Value, double? Threshold);

/// <summary>
/// One carrier's report day as the digest tells it. <see cref="Figures"/> is null when the carrier sent no report for the day.
/// Units are the carrier's service units (declared, or reported in the previous 7 days), not every unit of the province.
/// </summary>
public sealed record DigestCarrierDay(DigestCarrier Carrier, IndicatorRow? Figures, int UnitsReporting, int UnitsExpected,
    IReadOnlyList<string> MissingUnits, IReadOnlyList<DigestAlert> Opened, IReadOnlyList<DigestAlert> Resolved, IReadOnlyList<DigestAlert> StillFiring)
{
    public bool ReportMissing => Figures is null;
}

public sealed record DigestSeason(int Year, string Name, DateOnly TetDate, DateOnly FirstDay, DateOnly LastDay);

/// <summary>
/// The daily digest: at <see cref="NotificationOptions.DigestHour"/> (local time), one e-mail per recipient group
/// about the previous report day: each carrier's figures, the alerts that began firing or resolved on that day and
/// those still firing, the missing reports, and the chart of closing backlog over the season attached. The
/// department's addresses get every carrier; each carrier's contacts get their own carrier only.
/// Written to the outbox once per (report day, group, recipient), so running it twice sends nothing new.
/// </summary>
public sealed class DigestJob(NpgsqlDataSource db, IndicatorQuery indicators, IBackgroundJobClient jobs, TimeProvider clock,
    IOptions<NotificationOptions> options, IOptions<JobsOptions> jobsOptions, ILogger<DigestJob> logger)
{
    public const string Id = "alerts.digest";
    public const int DefaultHour = 7;
    public const string DepartmentGroup = "department";

    /// <summary>When no season contains the report day, the chart shows this many days up to it.</summary>
    public const int FallbackDays = 30;

    /// <summary>The recurring job: the digest of yesterday (local date), written and queued for delivery.</summary>
    public Task<IReadOnlyList<long>> RunAsync(CancellationToken cancellationToken) => RunForDayAsync(Yesterday(), cancellationToken);

    /// <summary>The digest of a given report day (an administrator's request), written and queued for delivery.</summary>
    public async Task<IReadOnlyList<long>> RunForDayAsync(DateOnly reportDay, CancellationToken cancellationToken)
    {
        var ids = await ComposeAsync(reportDay, cancellationToken);
        Outbox.Dispatch(jobs, ids);
        return ids;
    }

    public DateOnly Yesterday() =>
        clock.TodayIn(jobsOptions.Value.TimeZone).AddDays(-1);

    public static string GroupOf(DigestCarrier carrier)
    {
        ArgumentNullException.ThrowIfNull(carrier);
        return $"carrier:{carrier.Code}";
    }

    public static string Key(DateOnly reportDay, string group, string recipient) =>
        $"digest:{reportDay:yyyy-MM-dd}:{group}:{recipient.Trim().ToLowerInvariant()}";

    /// <summary>
    /// Writes the digest of <paramref name="reportDay"/> to the outbox (one row per group and recipient, with the
    /// chart) and returns the ids actually inserted; does not queue them. Nothing is written when e-mail is off,
    /// when every message of that day exists already, or when the day is outside every season and nothing happened.
    /// </summary>
    public async Task<IReadOnlyList<long>> ComposeAsync(DateOnly reportDay, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.EmailEnabled)
            return [];
        await using var connection = await db.OpenConnectionAsync(cancellationToken);

        var carriers = await CarriersAsync(connection, cancellationToken);
        var groups = new List<(string Group, IReadOnlyList<DigestCarrier> Carriers, IReadOnlyList<string> Recipients)>
        {
            (DepartmentGroup, carriers, Addresses(settings.DepartmentEmails)),
        };
        groups.AddRange(carriers.Select(c => (GroupOf(c), (IReadOnlyList<DigestCarrier>)[c], (IReadOnlyList<string>)Addresses(c.ContactEmails))));
        groups.RemoveAll(g => g.Recipients.Count == 0 || g.Carriers.Count == 0);

        // A second run (or a retry) of the same day stops here, before any query or rendering.
        var keys = groups.SelectMany(g => g.Recipients.Select(r => Key(reportDay, g.Group, r))).ToArray();
        var existing = (await connection.QueryAsync<string>(new CommandDefinition(
            "select digest_key from notification where digest_key = any(@keys)", new { keys }, cancellationToken: cancellationToken))).ToHashSet();
        groups.RemoveAll(g => g.Recipients.All(r => existing.Contains(Key(reportDay, g.Group, r))));
        if (groups.Count == 0)
            return [];

        var season = await connection.QuerySingleOrDefaultAsync<DigestSeason>(new CommandDefinition("""
            select year, name, tet_date, tet_date + from_offset as first_day, tet_date + to_offset as last_day
            from season
            where @reportDay between tet_date + from_offset and tet_date + to_offset
            """, new { reportDay }, cancellationToken: cancellationToken));
        var chartFrom = season?.FirstDay ?? reportDay.AddDays(-(FallbackDays - 1));
        var chartTo = season?.LastDay ?? reportDay;

        var perCarrier = await indicators.RollUpAsync(new IndicatorFilter(null, null, null, chartFrom, reportDay, "day", "carrier"), cancellationToken);
        var province = await indicators.RollUpAsync(new IndicatorFilter(null, null, null, chartFrom, reportDay, "day", "province"), cancellationToken);
        var days = await DaysAsync(connection, reportDay, carriers, perCarrier, cancellationToken);

        var incidents = await Incidents.IncidentStore.OfDayAsync(connection, reportDay, jobsOptions.Value.TimeZone, cancellationToken);
        var happened = days.Any(d => !d.ReportMissing || d.Opened.Count > 0 || d.Resolved.Count > 0) || incidents.Count > 0;
        if (season is null && !happened)
        {
            logger.LogInformation("No digest for {Day}: outside every season and nothing was reported", reportDay);
            return [];
        }

        var ids = new List<long>();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (group, groupCarriers, recipients) in groups)
        {
            var department = group == DepartmentGroup;
            var content = days.Where(d => groupCarriers.Any(c => c.Id == d.Carrier.Id)).ToList();
            var series = content.Select(d => new DigestSeries($"{d.Carrier.Name} ({d.Carrier.Code})", perCarrier
                    .Where(r => r.CarrierCode == d.Carrier.Code && r.ReportDate is not null)
                    .Select(r => (r.ReportDate!.Value, r.Closing)).ToList()))
                .ToList();
            if (department)
                series.Add(new DigestSeries(DigestMessages.ProvinceLine, province.Where(r => r.ReportDate is not null)
                    .GroupBy(r => r.ReportDate!.Value)
                    .Select(g => (g.Key, g.All(r => r.Closing is null) ? null : g.Sum(r => r.Closing))).ToList(), Total: true));
            var watch = Stopwatch.StartNew();
            var chart = DigestChart.RenderPng(DigestMessages.ChartTitle(reportDay, season, department ? null : groupCarriers[0]),
                chartFrom, chartTo, season?.TetDate, series);
            logger.LogDebug("Digest chart for {Group} rendered in {Elapsed} ms ({Bytes} bytes)", group, watch.ElapsedMilliseconds, chart.Length);

            var subject = DigestMessages.Subject(reportDay, department ? null : groupCarriers[0]);
            var body = DigestMessages.Body(reportDay, season, content, department, settings.PublicBaseUrl,
                [.. incidents.Where(i => groupCarriers.Any(c => c.Code == i.CarrierCode))], jobsOptions.Value.TimeZone);
            const string sql = """
                insert into notification (kind, channel, recipient, subject, body, attachment, attachment_name, attachment_type, digest_key)
                select 'digest', 'email', m.recipient, @subject, @body, @chart, @name, @type, m.key
                from unnest(@recipients, @keys) as m(recipient, key)
                on conflict (digest_key) where digest_key is not null do nothing
                returning id
                """;
            ids.AddRange(await connection.QueryAsync<long>(new CommandDefinition(sql, new
            {
                subject,
                body,
                chart,
                name = $"postalpeak-{reportDay:yyyy-MM-dd}.png",
                type = DigestChart.ContentType,
                recipients = recipients.ToArray(),
                keys = recipients.Select(r => Key(reportDay, group, r)).ToArray(),
            }, transaction, cancellationToken: cancellationToken)));
        }
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Digest of {Day}: {Count} e-mails written", reportDay, ids.Count);
        return ids.Order().ToList();
    }

    private static async Task<List<DigestCarrier>> CarriersAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        return (await connection.QueryAsync<DigestCarrier>(new CommandDefinition(
            "select id, code, name, coalesce(contact_emails, '{}') as contact_emails from carrier where active order by code",
            cancellationToken: cancellationToken))).AsList();
    }

    private static List<string> Addresses(IEnumerable<string> addresses) =>
        addresses.Select(a => a.Trim()).Where(a => a.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    private sealed record ServiceUnit(int CarrierId, string UnitCode, string Name, bool Expected, bool Reported);

    private static async Task<List<DigestCarrierDay>> DaysAsync(NpgsqlConnection connection, DateOnly reportDay, IReadOnlyList<DigestCarrier> carriers,
        IReadOnlyList<IndicatorRow> perCarrier, CancellationToken cancellationToken)
    {
        var coverage = (await connection.QueryAsync<ServiceUnit>(new CommandDefinition("""
            select p.carrier_id, p.unit_code, unit_name(p.unit_code) as name, p.expected, p.reported
            from report_coverage(array[@reportDay]::date[], null, null, 0) p
            order by p.unit_code
            """, new { reportDay }, cancellationToken: cancellationToken))).ToLookup(u => u.CarrierId);
        // Alerts firing at some point of the report day: those that began firing on it, resolved on it, or were firing throughout.
        var alerts = (await connection.QueryAsync<DigestAlert>(new CommandDefinition("""
            select a.id, c.code as carrier_code, r.code as rule_code, r.name_vi as rule_name_vi, r.name_en as rule_name_en, r.severity, r.metric, r.comparison,
                   a.unit_code, u.name as unit_name, a.started_on, a.firing_on, a.resolved_on, a.value, a.threshold
            from alert a
            join alert_rule r on r.id = a.rule_id
            join carrier c on c.id = a.carrier_id
            left join admin_unit u on u.code = a.unit_code and u.valid_from <= a.started_on and (u.valid_to is null or u.valid_to >= a.started_on)
            where a.firing_on is not null and a.firing_on <= @reportDay and (a.resolved_on is null or a.resolved_on >= @reportDay)
              and not alert_withdrawn(a)
            order by case r.severity when 'critical' then 0 when 'warning' then 1 else 2 end, a.firing_on, a.id
            """, new { reportDay }, cancellationToken: cancellationToken))).AsList();

        return carriers.Select(carrier =>
        {
            var mine = alerts.Where(a => a.CarrierCode == carrier.Code).ToList();
            var units = coverage[carrier.Id].ToList();
            return new DigestCarrierDay(carrier,
                perCarrier.FirstOrDefault(r => r.CarrierCode == carrier.Code && r.ReportDate == reportDay),
                units.Count(u => u.Reported), units.Count(u => u.Expected || u.Reported),
                units.Where(u => u.Expected && !u.Reported).Select(u => $"{u.Name} ({u.UnitCode})").ToList(),
                mine.Where(a => a.ResolvedOn != reportDay && a.FiringOn == reportDay).ToList(),
                mine.Where(a => a.ResolvedOn == reportDay).ToList(),
                mine.Where(a => a.ResolvedOn != reportDay && a.FiringOn != reportDay).ToList());
        }).ToList();
    }
}
