using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PostalPeak.Audit;
using PostalPeak.Shell;

namespace PostalPeak.Accounts;

/// <summary>A carrier's API tokens, for the department's admins and that carrier's own manager.</summary>
[Authorize(Roles = Roles.Admin + "," + Roles.CarrierManager)]
public sealed class TokensPageModel(ApiTokens tokens, Carriers.Carriers carriers) : PageModel
{
    [BindProperty(SupportsGet = true)] public string CarrierCode { get; set; } = "";
    [BindProperty] public string Name { get; set; } = "";

    public IReadOnlyList<ApiToken> All { get; private set; } = [];
    public string? Secret { get; private set; }
    public int? RevokedId { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ?? Page();

    public async Task<IActionResult> OnPostCreateAsync()
    {
        if (await LoadAsync() is { } refused)
            return refused;
        try
        {
            Secret = (await tokens.CreateAsync(CarrierCode, Name, null, Actor.From(HttpContext))).Secret;
        }
        catch (InputException e)
        {
            Error = e.Message;
            Response.StatusCode = e.Status;
        }
        return await LoadAsync() ?? Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(int tokenId)
    {
        if (await LoadAsync() is { } refused)
            return refused;
        try
        {
            RevokedId = (await tokens.RevokeAsync(CarrierCode, tokenId, Actor.From(HttpContext))).Id;
        }
        catch (InputException e)
        {
            Error = e.Message;
            Response.StatusCode = e.Status;
        }
        return await LoadAsync() ?? Page();
    }

    /// <summary>Loads the page's data, or returns why the user may not see it.</summary>
    private async Task<IActionResult?> LoadAsync()
    {
        if (!User.MayActFor(CarrierCode))
            return Forbid();
        var carrier = await carriers.FindAsync(CarrierCode);
        if (carrier is null)
            return NotFound();
        CarrierCode = carrier.Code;
        All = await tokens.ListAsync(CarrierCode);
        return null;
    }
}
