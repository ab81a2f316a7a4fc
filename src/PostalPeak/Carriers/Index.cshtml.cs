using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PostalPeak.Accounts;
using PostalPeak.Audit;
using PostalPeak.Shell;

namespace PostalPeak.Carriers;

public sealed class CarriersPageModel(Carriers carriers) : PageModel
{
    [BindProperty] public string Code { get; set; } = "";
    [BindProperty] public string Name { get; set; } = "";
    [BindProperty] public string? Emails { get; set; }
    [BindProperty] public string? Phone { get; set; }

    public IReadOnlyList<Carrier> All { get; private set; } = [];
    public string? Added { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!User.IsInRole(Roles.Admin))
            return Forbid();
        try
        {
            var carrier = await carriers.AddAsync(Code, Name, (Emails ?? "").Split(',', ';'), Phone, Actor.From(HttpContext));
            Added = carrier.Code;
        }
        catch (InputException e)
        {
            Error = e.Message;
            Response.StatusCode = e.Status;
        }
        await LoadAsync();
        return Page();
    }

    // Department staff see every carrier; a carrier manager sees its own.
    private async Task LoadAsync() => All = await carriers.ListAsync(CarrierScope.Of(User).Filter());
}
