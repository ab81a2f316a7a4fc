using System.Globalization;
using Microsoft.Extensions.Localization;
using PostalPeak.Indicators;
using PostalPeak.Shell;

namespace PostalPeak.Alerts;

/// <summary>
/// How an alert or a rule reads to a person: severities, states, conditions and rule names. Codes stay codes in
/// the API and in URLs; every page names them through here, so no page shows "critical" or "days_to_clear".
/// </summary>
public static class AlertText
{
    public static string Severity(IStringLocalizer<Text> t, string code) => t[$"Alerts.Severity.{code}"];

    public static string State(IStringLocalizer<Text> t, string code) => t[$"Alerts.State.{code}"];

    /// <summary>
    /// A rule's phase overrides as a person reads them: "Nghỉ Tết: tắt; Cận Tết: 8". The phase names are the default
    /// phases' (rules name phases by code across every season); the form keeps the codes, which are what it takes.
    /// </summary>
    public static string Phases(IStringLocalizer<Text> t, string metric, IReadOnlyList<PhaseOverride> phases) =>
        string.Join("; ", phases.Select(p =>
        {
            var name = Calendar.Seasons.DefaultPhases.FirstOrDefault(d => d.Code == p.Phase)?.Name ?? p.Phase;
            return $"{name}: {(p.Muted ? t["Alerts.PhaseMuted"].Value : MetricCatalogue.Get(metric).Format(p.Threshold))}";
        }));

    /// <summary>The comparison as it is printed: "≥" reads better than "&gt;=" in a sentence.</summary>
    public static string Comparison(string comparison) => comparison switch
    {
        ">=" => "≥",
        "<=" => "≤",
        _ => comparison,
    };

    /// <summary>"Số ngày giải tỏa &gt; 8": the metric's name, the comparison and the threshold the reader's way.</summary>
    public static string Condition(IStringLocalizer<Text> t, string metric, string comparison, double? threshold) =>
        Condition(t, metric, comparison, threshold, CultureInfo.CurrentCulture);

    public static string Condition(IStringLocalizer<Text> t, string metric, string comparison, double? threshold, CultureInfo culture)
    {
        var known = MetricCatalogue.Get(metric);
        return $"{known.Name(t)} {Comparison(comparison)} {known.Format(threshold, culture)}";
    }

    /// <summary>A rule's name in the reader's language (rules carry both).</summary>
    public static string RuleName(string nameVi, string nameEn) =>
        CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? nameEn : nameVi;
}
