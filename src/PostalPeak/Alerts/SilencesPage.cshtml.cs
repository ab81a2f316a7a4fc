using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PostalPeak.Accounts;
using PostalPeak.Audit;
using PostalPeak.Shell;

namespace PostalPeak.Alerts;

[Authorize(Policy = Policies.Department)]
public sealed class SilencesPageModel(AlertStore store) : PageModel
{
    public IReadOnlyList<Silence> All { get; private set; } = [];
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => All = await store.SilencesAsync(false, cancellationToken);

    public async Task<IActionResult> OnPostCancelAsync(int id, CancellationToken cancellationToken)
    {
        try
        {
            await store.CancelSilenceAsync(id, Actor.From(HttpContext));
        }
        catch (InputException e)
        {
            Error = e.Message;
            Response.StatusCode = e.Status;
        }
        await OnGetAsync(cancellationToken);
        return Page();
    }
}
