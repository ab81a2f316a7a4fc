using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PostalPeak.Accounts;

namespace PostalPeak.Ingestion;

public sealed class UploadHistoryPageModel(UploadStore store) : PageModel
{
    [BindProperty(SupportsGet = true)] public string CarrierCode { get; set; } = "";
    public IReadOnlyList<Upload> Uploads { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        CarrierCode = CarrierScope.Of(User).Filter(CarrierCode) ?? "";
        Uploads = await store.ListAsync(CarrierCode, 200);
        return Page();
    }
}
