using Dapper;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Npgsql;
using PostalPeak.Accounts;
using PostalPeak.Calendar;
using PostalPeak.Compliance;
using PostalPeak.Indicators;
using PostalPeak.Jobs;

namespace PostalPeak.Dashboard;

/// <summary>A season on one printable page, for reporting upwards: totals per carrier and phase, alerts, reporting discipline.</summary>
public sealed class SummaryPageModel(IndicatorQuery indicators, ComplianceReport compliance, Seasons seasons, Overview overview, NpgsqlDataSource db,
    IOptions<JobsOptions> jobs, Duty.DutyRosters rosters, TimeProvider clock) : PageModel
{
    public sealed record AlertCount(string RuleNameVi, string RuleNameEn, string Severity, string CarrierCode, long Fired);

    /// <param name="LastDay">The last affected day; null while open.</param>
    /// <param name="DaysAffected">Within the season, and up to today for an open incident.</param>
    public sealed record SeasonIncident(long Id, string Type, string Severity, string State, string CarrierName, string Description, DateOnly FirstDay,
        DateOnly? LastDay, int DaysAffected);

    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)] public int? Season { get; set; }

    public Season Current { get; private set; } = null!;
    public IReadOnlyList<IndicatorRow> Carriers { get; private set; } = [];
    public IReadOnlyList<IndicatorRow> Phases { get; private set; } = [];
    public IReadOnlyList<AlertCount> Alerts { get; private set; } = [];
    public IReadOnlyList<ComplianceSummary> Reporting { get; private set; } = [];
    public IReadOnlyList<SeasonIncident> Incidents { get; private set; } = [];
    /// <summary>Each carrier's run-up and holiday days of the season without a duty roster, by carrier code.</summary>
    public IReadOnlyDictionary<string, Duty.RosterCompliance> Rosters { get; private set; } = new Dictionary<string, Duty.RosterCompliance>();
    /// <summary>The figures run to the headline day; a later day still arriving is left out and named.</summary>
    public Headline Headline { get; private set; } = new(null, null, []);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var all = await seasons.ListAsync();
        Current = Seasons.Shown(all, Season, await Seasons.DefaultYearAsync(db, DateTime.UtcNow, CarrierScope.Of(User).Filter(), cancellationToken));
        Season = Current.Year;
        var carrier = CarrierScope.Of(User).Filter();
        Headline = await overview.HeadlineAsync(Current.Year, carrier, cancellationToken);
        // A summary read upwards must not end on a morning's first reports: it stops at the headline day.
        var to = Headline.Arriving is not null ? Headline.ReportDay : null;
        Carriers = await indicators.RollUpAsync(new IndicatorFilter([Current.Year], carrier, null, null, to, "season", "carrier"), cancellationToken);
        Phases = await indicators.RollUpAsync(new IndicatorFilter([Current.Year], carrier, null, null, to, "phase", "province"), cancellationToken);
        Reporting = ComplianceReport.Summarise(await compliance.DaysAsync(Current.Year, carrier, null, null, null));
        var now = clock.GetUtcNow();
        Rosters = Duty.DutyRosters.Summarise(await rosters.CoverageAsync(Current.Year, carrier, now, cancellationToken), now).ToDictionary(r => r.CarrierCode);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        Alerts = (await connection.QueryAsync<AlertCount>(new CommandDefinition("""
            select r.name_vi as rule_name_vi, r.name_en as rule_name_en, r.severity, c.code as carrier_code, count(*) as fired
            from alert a join alert_rule r on r.id = a.rule_id join carrier c on c.id = a.carrier_id
            where a.firing_on between @From and @To and (@carrier::text is null or c.code = @carrier)
              and not alert_withdrawn(a)
            group by 1, 2, 3, 4
            order by case r.severity when 'critical' then 0 when 'warning' then 1 else 2 end, 1, 4
            """, new { Current.From, Current.To, carrier }, cancellationToken: cancellationToken))).AsList();
        Incidents = (await connection.QueryAsync<SeasonIncident>(new CommandDefinition("""
            select i.id, i.type, i.severity, i.state, c.name as carrier_name, i.description, lower(d.days) as first_day, upper(d.days) - 1 as last_day,
                   upper(w.days) - lower(w.days) as days_affected
            from incident i join carrier c on c.id = i.carrier_id
            cross join lateral (select incident_days(i, @zone) as days) d
            cross join lateral (select d.days * daterange(@From, least(@To, (now() at time zone @zone)::date), '[]') as days) w
            where (@carrier::text is null or c.code = @carrier) and not isempty(w.days)
            order by lower(d.days), i.id
            """, new { Current.From, Current.To, carrier, zone = jobs.Value.TimeZone }, cancellationToken: cancellationToken))).AsList();
    }
}
