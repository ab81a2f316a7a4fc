using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using PostalPeak.Accounts;
using PostalPeak.Audit;
using PostalPeak.Shell;

namespace PostalPeak.Incidents;

/// <summary>One incident: what was reported, its timeline and files; both sides add updates and move it along its lifecycle.</summary>
public sealed class IncidentDetailPageModel(IncidentStore store, IStringLocalizer<Text> text) : PageModel
{
    [BindProperty(SupportsGet = true)] public long Id { get; set; }
    [BindProperty(SupportsGet = true)] public bool Reported { get; set; }
    [BindProperty] public string? Text { get; set; }
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public string? State { get; set; }

    public IncidentDetail Detail { get; private set; } = null!;
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    public string Zone => store.TimeZone;

    /// <summary>The buttons this reader may use: the next state, when it is theirs to set. A token has no page.</summary>
    public IReadOnlyList<string> NextStates => IncidentVocabulary.NextFor(Detail.Incident.State, CarrierScope.Of(User).EveryCarrier);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        // Another carrier's incident is refused in the words of a missing one (the error page explains "not found").
        Detail = await store.GetForAsync(Id, CarrierScope.Of(User), cancellationToken);
        if (Reported && Message is null)
            Message = text["Incidents.Reported", Id];
        return Page();
    }

    /// <summary>A POST naming no handler shows the page, as a GET would.</summary>
    public Task<IActionResult> OnPostAsync(CancellationToken cancellationToken) => OnGetAsync(cancellationToken);

    public async Task<IActionResult> OnPostUpdateAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        await TryAsync(async () =>
        {
            IncomingFile? incoming = null;
            if (file is { Length: > 0 })
            {
                if (file.Length > store.Options.MaxAttachmentBytes)
                    throw AttachmentSniffer.TooLarge(file.FileName, store.Options.MaxAttachmentBytes);
                using var content = new MemoryStream();
                await file.CopyToAsync(content, cancellationToken);
                incoming = new IncomingFile(file.FileName, file.ContentType, content.ToArray());
            }
            await store.AddUpdateAsync(Id, CarrierScope.Of(User), Text, incoming, Actor.From(HttpContext), cancellationToken);
            Message = text["Incidents.Updated"];
            ModelState.Clear();
            Text = null;
        });
        return await OnGetAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostStateAsync(CancellationToken cancellationToken)
    {
        await TryAsync(async () =>
        {
            var changed = await store.ChangeStateAsync(Id, CarrierScope.Of(User), State, Note, Actor.From(HttpContext), cancellationToken);
            Message = text["Incidents.StateChanged", IncidentMessages.StateName(text, changed.State)];
            ModelState.Clear();
            Note = null;
        });
        return await OnGetAsync(cancellationToken);
    }

    private async Task TryAsync(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (InputException e) when (e.Status != StatusCodes.Status404NotFound)
        {
            Error = text.Explain(e);
            Response.StatusCode = e.Status;
        }
    }
}
