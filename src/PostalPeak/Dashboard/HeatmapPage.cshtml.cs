using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PostalPeak.Accounts;

namespace PostalPeak.Dashboard;

/// <summary>Units × days of one indicator, for one carrier or all: where and when it went wrong.</summary>
public sealed class HeatmapPageModel : PageModel
{
    [BindProperty(SupportsGet = true)] public int? Season { get; set; }
    [BindProperty(SupportsGet = true)] public string? Carrier { get; set; }
    [BindProperty(SupportsGet = true)] public string Metric { get; set; } = "days_to_clear";

    public string Query { get; private set; } = "";

    public IActionResult OnGet()
    {
        if (Carrier is not null && !User.MayActFor(Carrier))
            return Forbid();
        Season ??= Calendar.Seasons.ComingYear(DateTime.UtcNow);
        if (!ComparePageModel.Metrics.Contains(Metric))
            Metric = "days_to_clear";
        Carrier = User.IsDepartment() ? (string.IsNullOrWhiteSpace(Carrier) ? null : Carrier.ToUpperInvariant()) : User.CarrierCode();
        Query = $"season={Season}&metric={Metric}" + (Carrier is null ? "" : $"&carrier={Uri.EscapeDataString(Carrier)}");
        return Page();
    }
}
