using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;
using PostalPeak.Accounts;
using PostalPeak.Audit;

namespace PostalPeak.Alerts;

/// <summary>The outbox for administrators: what was sent, what is waiting, what failed and why, with a retry for failed messages.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class NotificationsPageModel(NpgsqlDataSource db, NotificationDelivery delivery) : PageModel
{
    private const int Shown = 500;

    [BindProperty(SupportsGet = true)] public string? Status { get; set; }

    public IReadOnlyList<OutboxMessage> Messages { get; private set; } = [];
    public long? Retried { get; private set; }
    public long? NotRetried { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        // An unknown status from a hand-edited address shows everything rather than an error page.
        if (Status is not null && !Outbox.Statuses.Contains(Status, StringComparer.Ordinal))
            Status = null;
        Messages = await Outbox.ListAsync(db, Status, Shown, cancellationToken);
    }

    public async Task<IActionResult> OnPostRetryAsync(long id, CancellationToken cancellationToken)
    {
        if (await delivery.RetryAsync(id, Actor.From(HttpContext)) == 1)
            Retried = id;
        else
            NotRetried = id;
        await OnGetAsync(cancellationToken);
        return Page();
    }
}
