using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PostalPeak.Audit;
using PostalPeak.Carriers;
using PostalPeak.Shell;

namespace PostalPeak.Accounts;

[Authorize(Policy = Policies.Admin)]
public sealed class UsersPageModel(Users users, Carriers.Carriers carriers) : PageModel
{
    [BindProperty] public string UserName { get; set; } = "";
    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string Role { get; set; } = Roles.Analyst;
    [BindProperty] public string? CarrierCode { get; set; }

    public IReadOnlyList<UserAccount> All { get; private set; } = [];
    public IReadOnlyList<Carrier> Carriers { get; private set; } = [];
    public string? CreatedUser { get; private set; }
    public string? InitialPassword { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        var password = Passwords.Generate();
        try
        {
            var user = await users.AddAsync(UserName, DisplayName ?? "", Email, Role,
                string.IsNullOrWhiteSpace(CarrierCode) ? null : CarrierCode, password, Actor.From(HttpContext));
            CreatedUser = user.UserName;
            InitialPassword = password;
        }
        catch (InputException e)
        {
            Error = e.Message;
            Response.StatusCode = e.Status;
        }
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        All = await users.ListAsync();
        Carriers = await carriers.ListAsync();
    }
}
