using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PostalPeak.Accounts;
using PostalPeak.Indicators;

namespace PostalPeak.Dashboard;

/// <summary>
/// One carrier, one unit, or the province over a season: the charts and the daily table behind them. The
/// same page drills down: province → carrier → unit, every filter in the URL.
/// </summary>
public sealed class SeriesPageModel(IndicatorQuery indicators, Npgsql.NpgsqlDataSource db, Calendar.Seasons seasons, Carriers.Carriers carriers) : PageModel
{
    [BindProperty(SupportsGet = true)] public int? Season { get; set; }
    [BindProperty(SupportsGet = true)] public string? Carrier { get; set; }
    [BindProperty(SupportsGet = true)] public string? Unit { get; set; }

    public IReadOnlyList<IndicatorRow> Days { get; private set; } = [];
    public IReadOnlyList<IndicatorRow> Units { get; private set; } = [];
    public string Query { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Carrier = await carriers.FilterAsync(CarrierScope.Of(User), Carrier);
        Unit = await PostalPeak.Units.UnitEndpoints.KnownAsync(db, Unit, Carrier, cancellationToken);
        Season = Calendar.Seasons.Shown(await seasons.ListAsync(), Season,
            await Calendar.Seasons.DefaultYearAsync(db, DateTime.UtcNow, CarrierScope.Of(User).Filter(), cancellationToken)).Year;
        var by = Unit is not null ? "unit" : Carrier is not null ? "carrier" : "province";
        Days = await indicators.RollUpAsync(new IndicatorFilter([Season.Value], Carrier, Unit, null, null, "day", by), cancellationToken);
        // The units to drill into, worst backlog first.
        if (Unit is null)
            Units = (await indicators.RollUpAsync(new IndicatorFilter([Season.Value], Carrier, null, null, null, "season", "unit"), cancellationToken))
                .OrderByDescending(u => u.DaysToClear ?? -1).ToList();
        Query = $"season={Season}" + (Carrier is null ? "" : $"&carrier={Uri.EscapeDataString(Carrier)}") + (Unit is null ? "" : $"&unit={Uri.EscapeDataString(Unit)}")
            + $"&by={by}";
        return Page();
    }
}
