using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using PostalPeak.Accounts;
using PostalPeak.Audit;
using PostalPeak.Shell;

namespace PostalPeak.Carriers;

/// <summary>Where a carrier's alert e-mails and digest go: kept up to date by the department's admins or the carrier's own manager.</summary>
[Authorize(Roles = Roles.Admin + "," + Roles.CarrierManager)]
public sealed class ContactsPageModel(Carriers carriers, IStringLocalizer<Text> text) : PageModel
{
    [BindProperty(SupportsGet = true)] public string CarrierCode { get; set; } = "";
    [BindProperty] public string? Emails { get; set; }
    [BindProperty] public string? Phone { get; set; }

    public Carrier Carrier { get; private set; } = new();
    public bool Saved { get; private set; }
    /// <summary>Department staff set the addresses; a carrier manager sees them and changes the phone.</summary>
    public bool MaySetEmails => User.IsDepartment();
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await LoadAsync() is { } refused)
            return refused;
        (Emails, Phone) = (string.Join(", ", Carrier.ContactEmails), Carrier.ContactPhone);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await LoadAsync() is { } refused)
            return refused;
        try
        {
            // A carrier manager's form has the addresses read-only, so it posts none and they stay.
            Carrier = await carriers.UpdateContactsAsync(Carrier.Code, Emails?.Split(',', ';') ?? (MaySetEmails ? [] : null),
                string.IsNullOrWhiteSpace(Phone) ? null : Phone.Trim(), MaySetEmails, Actor.From(HttpContext));
            Saved = true;
            ModelState.Clear();
            (Emails, Phone) = (string.Join(", ", Carrier.ContactEmails), Carrier.ContactPhone);
        }
        catch (InputException e)
        {
            Error = text.Explain(e);
            Response.StatusCode = e.Status;
        }
        return Page();
    }

    /// <summary>Finds the carrier; who may not act for it was refused before (<see cref="CarrierPageAccessFilter"/>).</summary>
    private async Task<IActionResult?> LoadAsync()
    {
        if (await carriers.FindAsync(CarrierCode) is not { } carrier)
            throw Carriers.Unknown(CarrierCode);
        (Carrier, CarrierCode) = (carrier, carrier.Code);
        return null;
    }
}
