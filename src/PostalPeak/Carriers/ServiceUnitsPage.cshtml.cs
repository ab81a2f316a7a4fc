using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using PostalPeak.Accounts;
using PostalPeak.Audit;
using PostalPeak.Shell;

namespace PostalPeak.Carriers;

/// <summary>
/// A carrier's service units: the department (admins and analysts) sees the list in effect and declares it; the
/// carrier's own manager sees it read-only. Who may not act for the carrier was refused before
/// (<see cref="CarrierPageAccessFilter"/>).
/// </summary>
[Authorize(Policy = Policies.Person)]
public sealed partial class ServiceUnitsPageModel(Carriers carriers, ServiceUnits serviceUnits, IStringLocalizer<Text> text) : PageModel
{
    [BindProperty(SupportsGet = true)] public string CarrierCode { get; set; } = "";
    /// <summary>The declared codes as typed: one per line, or separated by commas, semicolons or spaces.</summary>
    [BindProperty] public string? Units { get; set; }

    public Carrier Carrier { get; private set; } = new();
    public CarrierServiceUnits List { get; private set; } = new("", CarrierServiceUnits.DerivedSource, [], [], null, null);
    /// <summary>The units in force today, by name: what the department chooses from.</summary>
    public IReadOnlyList<ServiceUnit> Choices { get; private set; } = [];
    public bool MayEdit => User.IsDepartment();
    public string? Saved { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await LoadAsync() is { } refused)
            return refused;
        Units = string.Join("\n", List.Declared.Select(u => u.UnitCode));
        return Page();
    }

    public Task<IActionResult> OnPostAsync() => ReplaceAsync(Split(Units));

    /// <summary>The "derive from reports" button: the declared list emptied.</summary>
    public Task<IActionResult> OnPostDeriveAsync() => ReplaceAsync([]);

    private async Task<IActionResult> ReplaceAsync(string[] codes)
    {
        if (!MayEdit)
            return Forbid();
        if (await LoadAsync() is { } refused)
            return refused;
        try
        {
            List = await serviceUnits.ReplaceAsync(Carrier.Code, codes, Actor.From(HttpContext));
            Saved = List.IsDeclared ? text["ServiceUnits.Saved", List.Declared.Count, Carrier.Code] : text["ServiceUnits.Cleared", Carrier.Code];
            ModelState.Clear();
            Units = string.Join("\n", List.Declared.Select(u => u.UnitCode));
        }
        catch (InputException e)
        {
            // The list as typed stays in the form, to be corrected.
            Error = text.Explain(e);
            Response.StatusCode = e.Status;
        }
        return Page();
    }

    private async Task<IActionResult?> LoadAsync()
    {
        if (await carriers.FindAsync(CarrierCode) is not { } carrier)
            throw Carriers.Unknown(CarrierCode);
        (Carrier, CarrierCode) = (carrier, carrier.Code);
        List = await serviceUnits.GetAsync(carrier.Code);
        if (MayEdit)
            Choices = await serviceUnits.InForceAsync();
        return null;
    }

    private static string[] Split(string? typed) =>
        Separators().Split(typed ?? "").Where(c => c.Length > 0).ToArray();

    [System.Text.RegularExpressions.GeneratedRegex(@"[\s,;]+")]
    private static partial System.Text.RegularExpressions.Regex Separators();
}
