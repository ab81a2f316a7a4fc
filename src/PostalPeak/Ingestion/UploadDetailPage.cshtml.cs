using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PostalPeak.Accounts;

namespace PostalPeak.Ingestion;

public sealed class UploadDetailPageModel(UploadStore store, UploadPipeline pipeline) : PageModel
{
    public bool Retried { get; private set; }

    public Upload? Upload { get; private set; }
    public IReadOnlyList<StoredIssue> Issues { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id)
    {
        // Another carrier's upload is "no such page", like a missing one: a refusal would confirm it exists.
        Upload = await store.FindForAsync(id, CarrierScope.Of(User));
        if (Upload is null)
            return NotFound();
        Issues = await store.IssuesAsync(id);
        return Page();
    }

    public async Task<IActionResult> OnPostRetryAsync(long id)
    {
        if (!User.IsInRole(Roles.Admin))
            return Forbid();
        if (await store.RetryAsync(id, Audit.Actor.From(HttpContext), HttpContext.RequestAborted))
        {
            await pipeline.QueueAsync(id, HttpContext.RequestAborted);
            Retried = true;
        }
        return await OnGetAsync(id);
    }

    /// <summary>A bare POST shows the page, as a GET would (it used to render without the upload: a 500).</summary>
    public Task<IActionResult> OnPostAsync(long id) => OnGetAsync(id);
}
