using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PostalPeak.Accounts;

namespace PostalPeak.Ingestion;

public sealed class UploadDetailPageModel(UploadStore store, UploadJobs jobs) : PageModel
{
    public bool Retried { get; private set; }

    public Upload? Upload { get; private set; }
    public IReadOnlyList<StoredIssue> Issues { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id)
    {
        Upload = await store.FindAsync(id);
        if (Upload is null)
            return NotFound();
        if (!User.MayActFor(Upload.CarrierCode))
            return Forbid();
        Issues = await store.IssuesAsync(id);
        return Page();
    }

    public async Task<IActionResult> OnPostRetryAsync(long id)
    {
        if (!User.IsInRole(Roles.Admin))
            return Forbid();
        if (await store.RetryAsync(id, Audit.Actor.From(HttpContext), HttpContext.RequestAborted))
        {
            await jobs.QueueAsync(id, HttpContext.RequestAborted);
            Retried = true;
        }
        return await OnGetAsync(id);
    }
}
