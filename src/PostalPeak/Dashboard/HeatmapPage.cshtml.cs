using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PostalPeak.Accounts;
using PostalPeak.Indicators;

namespace PostalPeak.Dashboard;

/// <summary>Units × days of one indicator, for one carrier or all: where and when it went wrong. The chart, then the same figures as a table.</summary>
public sealed class HeatmapPageModel(IndicatorQuery indicators, Npgsql.NpgsqlDataSource db, Alerts.AlertRules rules, Calendar.Seasons seasons, Carriers.Carriers carriers,
    Microsoft.Extensions.Localization.IStringLocalizer<Shell.Text> t) : PageModel
{
    [BindProperty(SupportsGet = true)] public int? Season { get; set; }
    [BindProperty(SupportsGet = true)] public string? Carrier { get; set; }
    [BindProperty(SupportsGet = true)] public string Metric { get; set; } = MetricCatalogue.DaysToClear.Code;

    public string Query { get; private set; } = "";
    public HeatmapGrid Grid { get; private set; } = null!;

    /// <summary>What each colour means, thresholds included; empty when the metric has no alert threshold.</summary>
    public IReadOnlyList<ColourKey> Legend { get; private set; } = [];


    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Season = Calendar.Seasons.Shown(await seasons.ListAsync(), Season,
            await Calendar.Seasons.DefaultYearAsync(db, DateTime.UtcNow, CarrierScope.Of(User).Filter(), cancellationToken)).Year;
        var metric = MetricCatalogue.Charted.FirstOrDefault(m => m.Code == Metric) ?? MetricCatalogue.DaysToClear;
        Metric = metric.Code;
        Carrier = await carriers.FilterAsync(CarrierScope.Of(User), Carrier);
        Query = $"season={Season}&metric={Metric}" + (Carrier is null ? "" : $"&carrier={Uri.EscapeDataString(Carrier)}");
        // The rows the chart endpoint draws for this query (by unit, day by day).
        // The colours are the metric's general alert thresholds, as the image draws them (GET /charts/heatmap.png).
        var scale = ColourScale.For(metric, await rules.ListAsync(null, cancellationToken));
        Grid = HeatmapGrid.From(await indicators.RollUpAsync(new IndicatorFilter([Season.Value], Carrier, null, null, null, "day", "unit"), cancellationToken),
            metric, scale);
        Legend = scale.Legend(t, System.Globalization.CultureInfo.CurrentCulture);
        return Page();
    }
}
