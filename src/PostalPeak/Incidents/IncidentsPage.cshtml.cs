using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using PostalPeak.Accounts;
using PostalPeak.Audit;
using PostalPeak.Shell;

namespace PostalPeak.Incidents;

/// <summary>Incidents, newest first, with filters; a carrier manager reports one here ("Báo cáo sự cố").</summary>
public sealed class IncidentsPageModel(IncidentStore store, Carriers.Carriers carriers, IStringLocalizer<Text> text) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? State { get; set; }
    [BindProperty(SupportsGet = true)] public string? Carrier { get; set; }
    // Text, not DateOnly: a date input sends yyyy-MM-dd, which vi-VN binding would misread.
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }

    [BindProperty] public string? Type { get; set; }
    [BindProperty] public string? Severity { get; set; } = "warning";
    [BindProperty] public string? StartedAt { get; set; }
    [BindProperty] public string? Units { get; set; }
    [BindProperty] public int? Parcels { get; set; }
    [BindProperty] public string? Description { get; set; }
    [BindProperty] public string? Actions { get; set; }
    [BindProperty] public string? Contact { get; set; }

    public IReadOnlyList<Incident> Incidents { get; private set; } = [];
    public string? Error { get; private set; }
    public string? ReportError { get; private set; }

    /// <summary>A carrier manager reports for its own carrier; department staff and tokens do not use this form.</summary>
    public bool MayReport => User.IsInRole(Roles.CarrierManager) && User.CarrierCode() is not null;

    public string Zone => store.TimeZone;

    public long MaxAttachmentBytes => store.Options.MaxAttachmentBytes;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var carrier = await carriers.FilterAsync(CarrierScope.Of(User), Carrier);
        try
        {
            Incidents = await store.ListAsync(new IncidentFilter(carrier, string.IsNullOrWhiteSpace(State) ? null : State, null,
                AuditLog.ParseDay(From, "from"), AuditLog.ParseDay(To, "to")), cancellationToken);
        }
        catch (InputException e)
        {
            Error = text.Explain(e);
            Response.StatusCode = e.Status;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostReportAsync(List<IFormFile> files, CancellationToken cancellationToken)
    {
        if (!MayReport)
            return Forbid();
        try
        {
            var incoming = new List<IncomingFile>();
            foreach (var file in files.Where(f => f.Length > 0))
            {
                if (file.Length > store.Options.MaxAttachmentBytes)
                    throw AttachmentSniffer.TooLarge(file.FileName, store.Options.MaxAttachmentBytes);
                using var content = new MemoryStream();
                await file.CopyToAsync(content, cancellationToken);
                incoming.Add(new IncomingFile(file.FileName, file.ContentType, content.ToArray()));
            }
            var units = (Units ?? "").Split([' ', ',', ';', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
            var incident = await store.ReportAsync(User.CarrierCode()!, new IncidentInput(Type, Severity, StartedAt, units, Parcels, Description, Actions, Contact),
                incoming, Actor.From(HttpContext), cancellationToken);
            return Redirect($"/incidents/{incident.Id}?reported=true");
        }
        catch (InputException e)
        {
            ReportError = text.Explain(e);
            Response.StatusCode = e.Status;
        }
        return await OnGetAsync(cancellationToken);
    }
}
