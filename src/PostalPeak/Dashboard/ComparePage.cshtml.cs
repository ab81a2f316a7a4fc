using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PostalPeak.Accounts;
using PostalPeak.Indicators;

namespace PostalPeak.Dashboard;

/// <summary>Seasons overlaid on the Tết axis, for the province, a carrier or a unit (through the crosswalk across the 2025 reform).</summary>
public sealed class ComparePageModel(IndicatorQuery indicators, Calendar.Seasons seasons, Carriers.Carriers carriers, Npgsql.NpgsqlDataSource db) : PageModel
{
    [BindProperty(SupportsGet = true)] public int[] Season { get; set; } = [];
    [BindProperty(SupportsGet = true)] public string? Carrier { get; set; }
    [BindProperty(SupportsGet = true)] public string? Unit { get; set; }
    [BindProperty(SupportsGet = true)] public string Metric { get; set; } = MetricCatalogue.Closing.Code;

    public IReadOnlyList<IndicatorRow> Rows { get; private set; } = [];
    public string Query { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Season.Length == 0)
        {
            var coming = Calendar.Seasons.ComingYear(DateTime.UtcNow);
            Season = [coming - 3, coming - 2, coming - 1];
        }
        Metric = MetricCatalogue.Charted.FirstOrDefault(m => m.Code == Metric)?.Code ?? MetricCatalogue.Closing.Code;
        await seasons.CheckAsync(Season);
        Carrier = await carriers.FilterAsync(CarrierScope.Of(User), Carrier);
        Unit = await PostalPeak.Units.UnitEndpoints.KnownAsync(db, Unit, Carrier, cancellationToken);
        var by = Unit is not null ? "unit" : Carrier is not null ? "carrier" : "province";
        Rows = await indicators.RollUpAsync(new IndicatorFilter(Season, Carrier, Unit, null, null, "tet_offset", by), cancellationToken);
        Query = string.Join("&", Season.Select(s => $"season={s}")) + (Carrier is null ? "" : $"&carrier={Uri.EscapeDataString(Carrier)}")
            + (Unit is null ? "" : $"&unit={Uri.EscapeDataString(Unit)}") + $"&by={by}&metric={Metric}";
        return Page();
    }
}
