using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PostalPeak.Accounts;
using PostalPeak.Indicators;

namespace PostalPeak.Dashboard;

/// <summary>Units × days of one indicator, for one carrier or all: where and when it went wrong. The chart, then the same figures as a table.</summary>
public sealed class HeatmapPageModel(IndicatorQuery indicators, Npgsql.NpgsqlDataSource db) : PageModel
{
    [BindProperty(SupportsGet = true)] public int? Season { get; set; }
    [BindProperty(SupportsGet = true)] public string? Carrier { get; set; }
    [BindProperty(SupportsGet = true)] public string Metric { get; set; } = MetricCatalogue.DaysToClear.Code;

    public string Query { get; private set; } = "";
    public HeatmapGrid Grid { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Season ??= await Calendar.Seasons.DefaultYearAsync(db, DateTime.UtcNow, CarrierScope.Of(User).Filter(), cancellationToken);
        var metric = MetricCatalogue.Charted.FirstOrDefault(m => m.Code == Metric) ?? MetricCatalogue.DaysToClear;
        Metric = metric.Code;
        Carrier = CarrierScope.Of(User).Filter(Carrier);
        Query = $"season={Season}&metric={Metric}" + (Carrier is null ? "" : $"&carrier={Uri.EscapeDataString(Carrier)}");
        // The rows the chart endpoint draws for this query (by unit, day by day).
        Grid = HeatmapGrid.From(await indicators.RollUpAsync(new IndicatorFilter([Season.Value], Carrier, null, null, null, "day", "unit"), cancellationToken), metric);
        return Page();
    }
}
