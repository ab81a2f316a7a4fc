using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;
using PostalPeak.Accounts;
using PostalPeak.Alerts;
using PostalPeak.Calendar;
using PostalPeak.Compliance;
using PostalPeak.Indicators;

namespace PostalPeak.Dashboard;

/// <summary>
/// The season at a glance: for one report day, a tile per carrier coloured by the alert rules, the province
/// backlog over the season, the alerts firing and who has reported. Every filter is in the URL.
/// </summary>
public sealed class DashboardPageModel(IndicatorQuery indicators, AlertRules rules, AlertStore alerts, ComplianceReport compliance,
    Seasons seasons, Overview overview, IOptions<IndicatorsOptions> carry, NpgsqlDataSource db, IConfiguration configuration, Duty.DutyRosters rosters,
    TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public int? Season { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? Day { get; set; }

    public Season Current { get; private set; } = null!;
    public IReadOnlyList<IndicatorRow> Tiles { get; private set; } = [];
    public IReadOnlyList<IndicatorRow> SeasonDays { get; private set; } = [];
    /// <summary>The headline day, the latest day, and each reported day's coverage.</summary>
    public Headline Headline { get; private set; } = new(null, null, []);
    /// <summary>The coverage of the day shown.</summary>
    public DayCoverage? Coverage => Headline.On(Day);
    public double CompleteShare => overview.CompleteShare;
    public int CarryDays => carry.Value.CarryDays;
    public IReadOnlyList<AlertSummary> Firing { get; private set; } = [];
    public IReadOnlyList<ComplianceSummary> Reporting { get; private set; } = [];
    /// <summary>Each carrier's run-up and holiday days of the season without a duty roster, by carrier code.</summary>
    public IReadOnlyDictionary<string, Duty.RosterCompliance> Rosters { get; private set; } = new Dictionary<string, Duty.RosterCompliance>();
    /// <summary>The reporting table's carriers: those expected to report that day, and any with a roster day missing or due.</summary>
    public IReadOnlyList<string> ReportingCarriers =>
        [.. Reporting.Select(r => r.CarrierCode).Union(Rosters.Values.Where(r => r.Missing > 0 || r.DueDays.Count > 0).Select(r => r.CarrierCode)).Order(StringComparer.Ordinal)];
    /// <summary>The figures' version when the page was drawn; the page's script reloads once it changes.</summary>
    public long FiguresVersion { get; private set; }

    /// <summary>How often the open page asks whether the figures changed (Dashboard:RefreshSeconds, default 30).</summary>
    public int RefreshSeconds => Math.Clamp(configuration.GetValue("Dashboard:RefreshSeconds", 30), 2, 3600);
    public IReadOnlyDictionary<string, long> FiringByCarrier { get; private set; } = new Dictionary<string, long>();
    public IReadOnlyDictionary<string, WorstUnit> WorstUnitByCarrier { get; private set; } = new Dictionary<string, WorstUnit>();

    /// <summary>The unit where a carrier's backlog would take longest to clear that day: where to look first.</summary>
    public sealed record WorstUnit(string CarrierCode, string UnitCode, string? UnitName, double DaysToClear);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        // Read first: a refresh that lands while the page is drawn makes the next check reload it, never the reverse.
        // The same version GET /api/v1/indicators/version tells this reader, which the page's script compares with.
        var carrier = CarrierScope.Of(User).Filter();
        FiguresVersion = await Indicators.IndicatorRefresh.DataVersionAsync(db, carrier, cancellationToken);
        var all = await seasons.ListAsync();
        Current = Seasons.Shown(all, Season, await Seasons.DefaultYearAsync(db, DateTime.UtcNow, carrier, cancellationToken));
        Season = Current.Year;
        SeasonDays = await indicators.RollUpAsync(new IndicatorFilter([Current.Year], carrier, null, null, null, "day", "carrier"), cancellationToken);
        // By default the headline day: the latest whose reports are (nearly) all in, of the carriers the reader may see.
        // A later day is arriving and shown as such: read from its first reports, a backlog would seem to clear overnight.
        Headline = await overview.HeadlineAsync(Current.Year, carrier, cancellationToken);
        Day ??= Headline.ReportDay ?? Headline.LatestDay ?? Current.From;
        Tiles = SeasonDays.Where(r => r.ReportDate == Day).ToList();
        var visible = await rules.ListAsync(carrier, cancellationToken);
        Scales = MetricCatalogue.RuleMetrics.ToDictionary(m => m.Code, m => ColourScale.For(m, visible));
        Firing = await alerts.ListAsync(new AlertFilter("firing", carrier, null, null, null, null, 50), cancellationToken);
        Reporting = ComplianceReport.Summarise(await compliance.DaysAsync(Current.Year, carrier, null, Day, Day));
        var now = clock.GetUtcNow();
        Rosters = Duty.DutyRosters.Summarise(await rosters.CoverageAsync(Current.Year, carrier, now, cancellationToken), now).ToDictionary(r => r.CarrierCode);
        // A carrier's roll-up can look fine while two of its communes drown: each tile also says where its alerts and its worst unit are.
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        FiringByCarrier = (await connection.QueryAsync<(string Code, long Count)>(new CommandDefinition("""
            select c.code, count(*) from alert a join carrier c on c.id = a.carrier_id
            where a.state = 'firing' and (@carrier::text is null or c.code = @carrier)
            group by c.code
            """, new { carrier }, cancellationToken: cancellationToken))).ToDictionary(r => r.Code, r => r.Count);
        WorstUnitByCarrier = (await connection.QueryAsync<WorstUnit>(new CommandDefinition("""
            select distinct on (c.code) c.code as carrier_code, i.unit_code, unit_name(i.unit_code) as unit_name, i.days_to_clear
            from daily_indicator i
            join carrier c on c.id = i.carrier_id
            where i.report_date = @day and i.days_to_clear is not null and (@carrier::text is null or c.code = @carrier)
            order by c.code, i.days_to_clear desc
            """, new { day = Day, carrier }, cancellationToken: cancellationToken))).ToDictionary(w => w.CarrierCode);
    }

    /// <summary>Each metric's colour scale from its general alert rules (<see cref="ColourScale"/>: warning amber, critical red).</summary>
    public IReadOnlyDictionary<string, ColourScale> Scales { get; private set; } = new Dictionary<string, ColourScale>();

    /// <summary>
    /// "bad" (red) past the critical rule's threshold for the phase, "warn" (amber) past the warning rule's, "ok" within,
    /// "off" when the rules are muted in the phase, "" when the value is unknown or no rule judges the metric.
    /// </summary>
    public string Colour(double? value, Metric metric, string? phase) =>
        Scales.TryGetValue(metric.Code, out var scale) ? ColourScale.CssClass(scale.BandOf(value, phase)) : "";

    /// <summary>The same for a carrier's roll-up of that day.</summary>
    public string Colour(IndicatorRow row, Metric metric) => Colour(metric.Of(row), metric, row.Phase);
}
