using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PostalPeak.Accounts;
using PostalPeak.Carriers;

namespace PostalPeak.Ingestion;

/// <summary>The upload form: carrier managers send their own files; department staff choose the carrier.</summary>
[Authorize(Policy = Policies.Person)]
public sealed class UploadPageModel(Carriers.Carriers carriers, Microsoft.Extensions.Options.IOptions<IngestionOptions> options) : PageModel
{
    public IReadOnlyList<Carrier> Carriers { get; private set; } = [];
    public int UploadsPerMinute => options.Value.UploadsPerMinute;

    public async Task OnGetAsync() => Carriers = CarrierScope.Of(User).EveryCarrier ? await carriers.ListAsync() : [];
}
