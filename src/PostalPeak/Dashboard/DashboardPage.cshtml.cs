using Dapper;
using Microsoft.AspNetCore.Mvc;
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
    Seasons seasons, NpgsqlDataSource db) : PageModel
{
    public static readonly string[] TileMetrics = ["closing", "days_to_clear", "throughput_ratio", "loss_per_10k", "complaints_per_10k"];

    [BindProperty(SupportsGet = true)] public int? Season { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? Day { get; set; }

    public Season Current { get; private set; } = null!;
    public IReadOnlyList<IndicatorRow> Tiles { get; private set; } = [];
    public IReadOnlyList<IndicatorRow> SeasonDays { get; private set; } = [];
    public IReadOnlyList<AlertSummary> Firing { get; private set; } = [];
    public IReadOnlyList<ComplianceSummary> Reporting { get; private set; } = [];
    public IReadOnlyDictionary<string, AlertRule> RuleByMetric { get; private set; } = new Dictionary<string, AlertRule>();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var all = await seasons.ListAsync();
        var year = Season ?? await Seasons.DefaultYearAsync(db, DateTime.UtcNow, cancellationToken);
        Current = all.FirstOrDefault(s => s.Year == year) ?? all[^1];
        Season = Current.Year;
        var carrier = User.IsDepartment() ? null : User.CarrierCode() ?? "\0";
        // By default the latest day of the season with any report: at Tết that is yesterday or today.
        SeasonDays = await indicators.RollUpAsync(new IndicatorFilter([Current.Year], carrier, null, null, null, "day", "carrier"), cancellationToken);
        // Of the carriers the reader may see: a manager's overview must not open on a day only others reported.
        Day ??= SeasonDays.Max(r => r.ReportDate) ?? Current.From;
        Tiles = SeasonDays.Where(r => r.ReportDate == Day).ToList();
        RuleByMetric = (await rules.ListAsync(cancellationToken)).Where(r => r.Enabled && r.CarrierCode is null && r.UnitCodes is null)
            .GroupBy(r => r.Metric).ToDictionary(g => g.Key, g => g.First());
        Firing = await alerts.ListAsync(new AlertFilter("firing", carrier, null, null, null, null, 50), cancellationToken);
        Reporting = ComplianceReport.Summarise(await compliance.DaysAsync(Current.Year, carrier, null, Day, Day));
    }

    public static double? Value(IndicatorRow row, string metric) => metric switch
    {
        "closing" => row.Closing,
        "days_to_clear" => row.DaysToClear,
        "throughput_ratio" => row.ThroughputRatio,
        "loss_per_10k" => row.LossPer10k,
        "complaints_per_10k" => row.ComplaintsPer10k,
        _ => null,
    };

    /// <summary>"bad" when the carrier's roll-up breaches the rule's threshold for that day's phase, "ok" when not, "" when unknown.</summary>
    public string Colour(IndicatorRow row, string metric)
    {
        if (Value(row, metric) is not { } value || !RuleByMetric.TryGetValue(metric, out var rule) || rule.ThresholdIn(row.Phase) is not { } threshold)
            return "";
        return AlertWalk.Holds(rule.Comparison, value, threshold) ? "bad" : "ok";
    }
}
