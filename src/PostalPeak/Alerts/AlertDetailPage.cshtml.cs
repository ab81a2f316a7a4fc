using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using PostalPeak.Accounts;
using PostalPeak.Audit;
using PostalPeak.Shell;

namespace PostalPeak.Alerts;

/// <summary>One alert: what fired, the series behind it, its history; department staff acknowledge or silence here.</summary>
public sealed class AlertDetailPageModel(AlertStore store, TimeProvider clock, IStringLocalizer<Text> text) : PageModel
{
    [BindProperty(SupportsGet = true)] public long Id { get; set; }
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public string? Scope { get; set; } = "rule_carrier_unit";
    [BindProperty] public int Hours { get; set; } = 24;
    [BindProperty] public string? Reason { get; set; }

    public AlertDetail Detail { get; private set; } = null!;
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    /// <summary>What the last post did, carried over its redirect (post, redirect, get: a reload does not post again).</summary>
    [BindProperty(SupportsGet = true)] public string? Done { get; set; }

    private static readonly Dictionary<string, string> DoneMessages = new()
    {
        ["acknowledged"] = "Alerts.AcknowledgedDone",
        ["silenced"] = "Alerts.SilencedDone",
    };

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Message ??= Done is not null && DoneMessages.TryGetValue(Done, out var key) ? key : null;
        // Another carrier's alert is refused in the words of a missing one (the error page explains "not found").
        Detail = await store.GetForAsync(Id, CarrierScope.Of(User), cancellationToken);
        return Page();
    }

    /// <summary>A POST naming no handler shows the page, as a GET would (it used to render without the alert: a 500).</summary>
    public Task<IActionResult> OnPostAsync(CancellationToken cancellationToken) => OnGetAsync(cancellationToken);

    public async Task<IActionResult> OnPostAcknowledgeAsync(CancellationToken cancellationToken)
    {
        if (!User.IsDepartment())
            return Forbid();
        if (await TryAsync(() => store.AcknowledgeAsync(Id, Note, Actor.From(HttpContext))))
            return Redirect($"/alerts/{Id}?done=acknowledged");
        return await OnGetAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostSilenceAsync(CancellationToken cancellationToken)
    {
        if (!User.IsDepartment())
            return Forbid();
        var alert = (await store.GetForAsync(Id, CarrierScope.Of(User), cancellationToken)).Alert;
        var scope = Scope ?? "";
        if (await TryAsync(() => store.SilenceAsync(scope.Contains("rule", StringComparison.Ordinal) ? alert.RuleCode : null,
                scope.Contains("carrier", StringComparison.Ordinal) ? alert.CarrierCode : null,
                scope.Contains("unit", StringComparison.Ordinal) && alert.UnitCode.Length > 0 ? alert.UnitCode : null,
                clock.GetUtcNow().UtcDateTime.AddHours(Math.Clamp(Hours, 1, 24 * 30)), Reason ?? "", Actor.From(HttpContext), clock)))
            return Redirect($"/alerts/{Id}?done=silenced");
        return await OnGetAsync(cancellationToken);
    }

    private async Task<bool> TryAsync(Func<Task> action)
    {
        try
        {
            await action();
            return true;
        }
        catch (InputException e)
        {
            Error = text.Explain(e);
            Response.StatusCode = e.Status;
            return false;
        }
    }
}
