using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PostalPeak.Accounts;
using PostalPeak.Carriers;

namespace PostalPeak.Ingestion;

/// <summary>The upload form: carrier managers send their own files; department staff choose the carrier.</summary>
[Authorize(Policy = Policies.Person)]
public sealed class UploadPageModel(Carriers.Carriers carriers, Microsoft.Extensions.Options.IOptions<IngestionOptions> options,
    Microsoft.Extensions.Localization.IStringLocalizer<Shell.Text> text) : PageModel
{
    public IReadOnlyList<Carrier> Carriers { get; private set; } = [];
    public int UploadsPerMinute => options.Value.UploadsPerMinute;

    public string? Error { get; private set; }

    public async Task OnGetAsync() => Carriers = CarrierScope.Of(User).EveryCarrier ? await carriers.ListAsync() : [];

    /// <summary>
    /// The page's script sends files one by one to the API; the form itself reaches here only when it is sent with no
    /// file (or no script), and then says so rather than doing nothing.
    /// </summary>
    public async Task OnPostAsync()
    {
        await OnGetAsync();
        Error = text[Request.Form.Files.Count == 0 ? "Upload.NoFile" : "Upload.NeedsScript"];
        Response.StatusCode = StatusCodes.Status400BadRequest;
    }
}
