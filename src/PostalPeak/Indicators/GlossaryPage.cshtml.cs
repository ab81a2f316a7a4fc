using System.Globalization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PostalPeak.Indicators;

/// <summary>
/// What every figure means, generated from the metric catalogue: name, code, definition, formula in plain words and
/// the window, one anchor per metric (<c>/glossary#days_to_clear</c>) for the info links beside figure names on the other
/// pages; then the coverage terms of roll-up rows. Open to everyone signed in, like the figures it explains.
/// </summary>
public sealed class GlossaryPageModel(IConfiguration configuration) : PageModel
{
    /// <summary>One coverage term of the roll-up rows, by its code (its anchor), with the settings its definition quotes.</summary>
    public sealed record CoverageTerm(string Code, object[] Arguments);

    /// <summary>How many days an expected unit's latest stock stands in for a missing report (Indicators:CarryDays).</summary>
    public int CarryDays => Math.Max(0, configuration.GetValue("Indicators:CarryDays", 3));

    /// <summary>The share of expected carrier × unit pairs a day needs to be the headline day (Dashboard:CompleteShare).</summary>
    public double CompleteShare => Math.Clamp(configuration.GetValue("Dashboard:CompleteShare", 0.95), 0, 1);

    public IReadOnlyList<CoverageTerm> Coverage =>
    [
        new("units_expected", []),
        new("units_reporting", []),
        new("units_carried", [CarryDays]),
        new("closing_reported", []),
        new("headline_day", [CompleteShare.ToString("P0", CultureInfo.CurrentCulture)]),
    ];

    public void OnGet()
    {
    }
}
