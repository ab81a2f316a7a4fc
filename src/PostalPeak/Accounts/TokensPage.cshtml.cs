using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using PostalPeak.Audit;
using PostalPeak.Shell;

namespace PostalPeak.Accounts;

/// <summary>A carrier's API tokens, for the department's admins and that carrier's own manager.</summary>
[Authorize(Roles = Roles.Admin + "," + Roles.CarrierManager)]
public sealed class TokensPageModel(ApiTokens tokens, Carriers.Carriers carriers, IStringLocalizer<Text> text) : PageModel
{
    [BindProperty(SupportsGet = true)] public string CarrierCode { get; set; } = "";
    [BindProperty] public string Name { get; set; } = "";
    /// <summary>The last day the token works, as an &lt;input type=date&gt; posts it (yyyy-MM-dd); text, because vi-VN binding reads dates day first.</summary>
    [BindProperty] public string? ValidThrough { get; set; }

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
            Secret = (await tokens.CreateAsync(CarrierCode, Name, ExpiresAt(ValidThrough), Actor.From(HttpContext))).Secret;
            ModelState.Clear();
            (Name, ValidThrough) = ("", null);
        }
        catch (InputException e)
        {
            Error = text.Explain(e);
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
            Error = text.Explain(e);
            Response.StatusCode = e.Status;
        }
        return await LoadAsync() ?? Page();
    }

    /// <summary>
    /// The token works through the whole chosen day in Vietnam and stops at the midnight that ends it; an empty
    /// field means it never expires. Whether that is still to come is <see cref="ApiTokens.CreateAsync"/>'s rule.
    /// </summary>
    public static DateTime? ExpiresAt(string? validThrough)
    {
        if (string.IsNullOrWhiteSpace(validThrough))
            return null;
        if (!DateOnly.TryParseExact(validThrough.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var day))
            throw new InputException("invalid_date", $"'{validThrough}' is not a date (yyyy-MM-dd).") { Args = [validThrough] };
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");
        return TimeZoneInfo.ConvertTimeToUtc(day.AddDays(1).ToDateTime(TimeOnly.MinValue), zone);
    }

    /// <summary>Loads the page's data; who may not act for the carrier was refused before (<see cref="CarrierPageAccessFilter"/>).</summary>
    private async Task<IActionResult?> LoadAsync()
    {
        var carrier = await carriers.FindAsync(CarrierCode);
        if (carrier is null)
            throw Carriers.Carriers.Unknown(CarrierCode);
        CarrierCode = carrier.Code;
        All = await tokens.ListAsync(CarrierCode);
        return null;
    }
}
