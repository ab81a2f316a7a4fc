using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using PostalPeak.Accounts;
using PostalPeak.Audit;
using PostalPeak.Shell;

namespace PostalPeak.Alerts;

/// <summary>Open alerts first, then history, with filters; carrier managers see their own carrier.</summary>
public sealed class AlertsPageModel(AlertStore store, AlertRules rules, IStringLocalizer<Text> text) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? State { get; set; } = "open";
    [BindProperty(SupportsGet = true)] public string? Carrier { get; set; }
    [BindProperty(SupportsGet = true)] public string? Rule { get; set; }
    [BindProperty(SupportsGet = true)] public string? Unit { get; set; }
    // Text, not DateOnly: a date input sends yyyy-MM-dd, which vi-VN binding would misread.
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }

    public IReadOnlyList<AlertSummary> Alerts { get; private set; } = [];
    public IReadOnlyList<AlertRule> Rules { get; private set; } = [];
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var state = string.IsNullOrEmpty(State) || State == "all" ? null : State;
        var scope = CarrierScope.Of(User);
        var carrier = scope.Filter(Carrier);
        Rules = await rules.ListAsync(scope.Filter(), cancellationToken);
        try
        {
            // The same report-day range as GET /api/v1/alerts?from=&to=: alerts whose days overlap it.
            Alerts = await store.ListAsync(new AlertFilter(state, carrier, string.IsNullOrWhiteSpace(Rule) ? null : Rule,
                string.IsNullOrWhiteSpace(Unit) ? null : Unit.Trim(), AuditLog.ParseDay(From, "from"), AuditLog.ParseDay(To, "to"), 500), cancellationToken);
        }
        catch (InputException e)
        {
            Error = text.Explain(e);
            Response.StatusCode = e.Status;
        }
        return Page();
    }
}
