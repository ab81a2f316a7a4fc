using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Npgsql;
using PostalPeak.Accounts;

namespace PostalPeak.Alerts;

/// <summary>The local mailbox: the e-mails PostalPeak would have sent, when it keeps them instead (the demo).</summary>
[Authorize(Policy = Policies.Department)]
public sealed class MailboxPageModel(NpgsqlDataSource db, IOptions<NotificationOptions> options) : PageModel
{
    private const int Shown = 200;

    [BindProperty(SupportsGet = true)] public string? Recipient { get; set; }

    public bool Enabled => options.Value.UsesLocalMailbox;
    public IReadOnlyList<LocalMail> Mails { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Recipient = string.IsNullOrWhiteSpace(Recipient) ? null : Recipient.Trim();
        Mails = await LocalMailbox.ListAsync(db, Recipient, Shown, cancellationToken);
    }

    public async Task<IActionResult> OnGetAttachmentAsync(long id, CancellationToken cancellationToken) =>
        await LocalMailbox.AttachmentAsync(db, id, cancellationToken) is { } file
            ? File(file.Content, file.Type, file.Name)
            : NotFound();
}
