using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PostalPeak.Accounts;

namespace PostalPeak.Ingestion;

public sealed class UploadHistoryPageModel(UploadStore store, Carriers.Carriers carriers) : PageModel
{
    [BindProperty(SupportsGet = true)] public string CarrierCode { get; set; } = "";
    public IReadOnlyList<Upload> Uploads { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        CarrierCode = await carriers.FilterAsync(CarrierScope.Of(User), CarrierCode) ?? "";
        Uploads = await store.ListAsync(CarrierCode, 200);
        return Page();
    }
}
