using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using PostalPeak.Accounts;
using PostalPeak.Audit;
using PostalPeak.Carriers;
using PostalPeak.Shell;

namespace PostalPeak.Alerts;

/// <summary>
/// Silences in force and past, and a form for one set ahead of time: a carrier that warns of an outage, or a
/// rule the department knows is noisy this week, is silenced before anything fires.
/// </summary>
[Authorize(Policy = Policies.Department)]
public sealed class SilencesPageModel(AlertStore store, AlertRules rules, Carriers.Carriers carriers, IStringLocalizer<Text> text, TimeProvider clock)
    : PageModel
{
    public IReadOnlyList<Silence> All { get; private set; } = [];
    public IReadOnlyList<AlertRule> Rules { get; private set; } = [];
    public IReadOnlyList<Carrier> CarrierList { get; private set; } = [];
    public string? Error { get; private set; }
    public string? Message { get; private set; }

    /// <summary>A silenced rule's name in the reader's language; the code of a rule no longer listed, as a last resort.</summary>
    public string RuleName(string code) =>
        Rules.FirstOrDefault(r => r.Code == code) is { } rule ? AlertText.RuleName(rule.NameVi, rule.NameEn) : code;

    [BindProperty] public string? Rule { get; set; }
    [BindProperty] public string? Carrier { get; set; }
    [BindProperty] public string? Unit { get; set; }

    /// <summary>Wall-clock time in Vietnam, as a datetime-local field gives it.</summary>
    [BindProperty] public DateTime? Until { get; set; }

    [BindProperty] public string? Reason { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        All = await store.SilencesAsync(false, cancellationToken);
        Rules = await rules.ListAsync(CarrierScope.Of(User).Filter(), cancellationToken);
        CarrierList = await carriers.ListAsync();
        Until ??= DateTime.SpecifyKind(clock.GetUtcNow().UtcDateTime.ToLocalTimeIn("Asia/Ho_Chi_Minh").Date.AddDays(1).AddHours(8), DateTimeKind.Unspecified);
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        if (Until is not { } until)
        {
            Error = text["Error.invalid_end"];
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        else
        {
            try
            {
                await store.SilenceAsync(Rule, Carrier, Unit, DateTime.SpecifyKind(until, DateTimeKind.Unspecified), Reason ?? "", Actor.From(HttpContext), clock);
                Message = text["Alerts.SilencedDone"];
                ModelState.Clear();
                (Rule, Carrier, Unit, Until, Reason) = (null, null, null, null, null);
            }
            catch (InputException e)
            {
                Error = text.Explain(e);
                Response.StatusCode = e.Status;
            }
        }
        await OnGetAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostCancelAsync(int id, CancellationToken cancellationToken)
    {
        try
        {
            await store.CancelSilenceAsync(id, Actor.From(HttpContext));
        }
        catch (InputException e)
        {
            Error = text.Explain(e);
            Response.StatusCode = e.Status;
        }
        await OnGetAsync(cancellationToken);
        return Page();
    }
}
