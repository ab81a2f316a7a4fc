using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PostalPeak.Accounts;

namespace PostalPeak.Alerts;

/// <summary>Open alerts first, then history, with filters; carrier managers see their own carrier.</summary>
public sealed class AlertsPageModel(AlertStore store, AlertRules rules) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? State { get; set; } = "open";
    [BindProperty(SupportsGet = true)] public string? Carrier { get; set; }
    [BindProperty(SupportsGet = true)] public string? Rule { get; set; }
    [BindProperty(SupportsGet = true)] public string? Unit { get; set; }

    public IReadOnlyList<AlertSummary> Alerts { get; private set; } = [];
    public IReadOnlyList<AlertRule> Rules { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var state = string.IsNullOrEmpty(State) || State == "all" ? null : State;
        var carrier = User.IsDepartment() ? (string.IsNullOrWhiteSpace(Carrier) ? null : Carrier) : User.CarrierCode() ?? "\0";
        Rules = await rules.ListAsync(cancellationToken);
        Alerts = await store.ListAsync(new AlertFilter(state, carrier, string.IsNullOrWhiteSpace(Rule) ? null : Rule,
            string.IsNullOrWhiteSpace(Unit) ? null : Unit.Trim(), null, null, 500), cancellationToken);
    }
}
