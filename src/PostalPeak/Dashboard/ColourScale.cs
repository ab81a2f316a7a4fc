using System.Globalization;
using Microsoft.Extensions.Localization;
using PostalPeak.Alerts;
using PostalPeak.Indicators;
using PostalPeak.Shell;

namespace PostalPeak.Dashboard;

/// <summary>What colour a figure takes on the dashboard, from the alert rules of its metric.</summary>
public enum ColourBand
{
    /// <summary>No figure, or no rule to judge it by: plain.</summary>
    None,
    /// <summary>Judged and within every threshold: green.</summary>
    Ok,
    /// <summary>Past the warning-severity rule's threshold: amber.</summary>
    Warning,
    /// <summary>Past the critical-severity rule's threshold: red.</summary>
    Critical,
    /// <summary>The rules are muted in the day's phase (the holiday for backlog rules): grey, not judged.</summary>
    Off,
}

/// <summary>One line of a colour key: the band and what it means, in the reader's language.</summary>
public sealed record ColourKey(ColourBand Band, string Text);

/// <summary>
/// A metric's colour scale, tied to its alert thresholds so that a colour says what an alert would say.
/// <para>
/// The rules read are the enabled general ones (no carrier, no unit list) on the metric. The warning-severity rule
/// gives the amber boundary and the critical-severity rule the red one; each is judged with its own comparison, so
/// for throughput ("&lt;") low is bad. With only a warning rule there is no red: past its threshold is amber, since
/// no rule calls anything critical. With only a critical rule there is no amber: past its threshold is red. Info
/// rules colour nothing. When several rules of one severity exist, the one that fires first (the least strict base
/// threshold) stands for it. A rule's phase overrides apply: each figure is judged with the threshold in force in
/// its day's phase, and a phase where every rule is muted is <see cref="ColourBand.Off"/>. A rule's minimum base
/// (for rates over few parcels) is not applied: a figure is coloured by its value alone.
/// </para>
/// A metric without such a rule has no scale (<see cref="HasRules"/> false): the heatmap then falls back to a scale
/// from the season's own distribution and says so.
/// </summary>
public sealed record ColourScale(Metric Metric, AlertRule? Warning, AlertRule? Critical)
{
    public bool HasRules => Warning is not null || Critical is not null;

    /// <summary>The scale of <paramref name="metric"/> from a list of rules (any rules: those that do not apply are left out).</summary>
    public static ColourScale For(Metric metric, IEnumerable<AlertRule> rules)
    {
        var general = rules.Where(r => r.Enabled && r.CarrierCode is null && r.UnitCodes is null && r.Metric == metric.Code).ToList();
        return new ColourScale(metric, FirstToFire(general, "warning"), FirstToFire(general, "critical"));
    }

    /// <summary>Of the rules of one severity, the one whose base threshold is crossed first.</summary>
    private static AlertRule? FirstToFire(List<AlertRule> rules, string severity) =>
        rules.Where(r => r.Severity == severity)
            .OrderBy(r => r.Comparison is "<" or "<=" ? -r.Threshold : r.Threshold)
            .ThenBy(r => r.Id)
            .FirstOrDefault();

    /// <summary>The band of a value on a day of <paramref name="phase"/> (null: a day outside every season, judged by the base thresholds).</summary>
    public ColourBand BandOf(double? value, string? phase)
    {
        if (value is not { } known || !double.IsFinite(known) || !HasRules)
            return ColourBand.None;
        var critical = Critical?.ThresholdIn(phase);
        var warning = Warning?.ThresholdIn(phase);
        if (critical is null && warning is null)
            return ColourBand.Off;
        if (critical is { } c && AlertWalk.Holds(Critical!.Comparison, known, c))
            return ColourBand.Critical;
        if (warning is { } w && AlertWalk.Holds(Warning!.Comparison, known, w))
            return ColourBand.Warning;
        return ColourBand.Ok;
    }

    /// <summary>The CSS class of a band, shared by tiles and the heatmap's table.</summary>
    public static string CssClass(ColourBand band) => band switch
    {
        ColourBand.Ok => "ok",
        ColourBand.Warning => "warn",
        ColourBand.Critical => "bad",
        ColourBand.Off => "off",
        _ => "",
    };

    /// <summary>What changes the colours: part of a cached chart's key, so that a rule's new threshold redraws it.</summary>
    public string Key => string.Join("|", new[] { Warning, Critical }.Select(r => r is null ? "-"
        : $"{r.Id}{r.Comparison}{r.Threshold.ToString("R", CultureInfo.InvariantCulture)}["
          + string.Join(",", r.Phases.Select(p => $"{p.Phase}={(p.Muted ? "off" : p.Threshold?.ToString("R", CultureInfo.InvariantCulture))}")) + "]"));

    /// <summary>
    /// The colour key, worst first: each rule's band with its condition ("Cảnh báo: Số ngày giải tỏa &gt; 5 (theo giai
    /// đoạn: Cận Tết: 8; …)"), thresholds written with the metric's format; then within the thresholds; then, when
    /// a rule is muted in some phase, not judged.
    /// </summary>
    public IReadOnlyList<ColourKey> Legend(IStringLocalizer<Text> t, CultureInfo culture)
    {
        var keys = new List<ColourKey>();
        foreach (var (band, rule) in new[] { (ColourBand.Critical, Critical), (ColourBand.Warning, Warning) })
        {
            if (rule is null)
                continue;
            var condition = AlertText.Condition(t, rule.Metric, rule.Comparison, rule.Threshold, culture);
            var severity = AlertText.Severity(t, rule.Severity);
            keys.Add(new ColourKey(band, rule.Phases.Count == 0
                ? t["Heatmap.Band.Rule", severity, condition]
                : t["Heatmap.Band.RulePhases", severity, condition, Phases(t, rule, culture)]));
        }
        if (keys.Count > 0)
        {
            keys.Add(new ColourKey(ColourBand.Ok, t["Heatmap.Band.Ok"]));
            if (new[] { Warning, Critical }.Any(r => r?.Phases.Any(p => p.Muted) == true))
                keys.Add(new ColourKey(ColourBand.Off, t["Heatmap.Band.Off"]));
        }
        return keys;
    }

    /// <summary>"Cận Tết: 8; Nghỉ Tết: tắt" with the thresholds in the given culture (the chart's, not the thread's).</summary>
    private static string Phases(IStringLocalizer<Text> t, AlertRule rule, CultureInfo culture) =>
        string.Join("; ", rule.Phases.OrderBy(p => PhaseOrder(p.Phase)).Select(p =>
        {
            var phase = Calendar.Seasons.DefaultPhases.FirstOrDefault(d => d.Code == p.Phase);
            var name = phase is null ? p.Phase : culture.TwoLetterISOLanguageName == "en" ? phase.NameEn : phase.NameVi;
            return $"{name}: {(p.Muted ? t["Alerts.PhaseMuted"].Value : MetricCatalogue.Get(rule.Metric).Format(p.Threshold, culture))}";
        }));

    /// <summary>Phases in the season's order (peak, run-up, holiday, recovery), unknown codes last.</summary>
    private static int PhaseOrder(string code)
    {
        var index = Calendar.Seasons.DefaultPhases.ToList().FindIndex(d => d.Code == code);
        return index < 0 ? int.MaxValue : index;
    }
}
