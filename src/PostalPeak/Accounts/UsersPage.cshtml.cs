using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using PostalPeak.Audit;
using PostalPeak.Carriers;
using PostalPeak.Shell;

namespace PostalPeak.Accounts;

/// <summary>Every account; an administrator adds one, or opens one to change its role, reset its password or disable it.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class UsersPageModel(Users users, Carriers.Carriers carriers, IStringLocalizer<Text> text) : PageModel
{
    [BindProperty] public string UserName { get; set; } = "";
    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string Role { get; set; } = Roles.Analyst;
    [BindProperty] public string? CarrierCode { get; set; }

    /// <summary>The account opened for changes; in the query string of its forms too.</summary>
    [BindProperty(SupportsGet = true)] public string? Edit { get; set; }
    // Named apart from the add form's fields, which bind on every post.
    [BindProperty] public string? NewRole { get; set; }
    [BindProperty] public string? NewCarrier { get; set; }

    public IReadOnlyList<UserAccount> All { get; private set; } = [];
    public IReadOnlyList<Carrier> Carriers { get; private set; } = [];
    public UserAccount? Editing { get; private set; }
    public string? CreatedUser { get; private set; }
    public string? InitialPassword { get; private set; }
    public string? NewPassword { get; private set; }
    public string? Notice { get; private set; }
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
            // An empty form for the next person; the password is the one thing shown, and only in this answer.
            ModelState.Clear();
            (UserName, DisplayName, Email, Role, CarrierCode) = ("", null, null, Roles.Analyst, null);
        }
        catch (InputException e)
        {
            Fail(e);
        }
        await LoadAsync();
        return Page();
    }

    public Task<IActionResult> OnPostRoleAsync() =>
        ChangeAsync(() => users.UpdateAsync(Edit ?? "", NewRole ?? "", NewCarrier, null, Actor.From(HttpContext)), "Users.RoleChanged");

    public Task<IActionResult> OnPostDisableAsync() =>
        ChangeAsync(() => users.UpdateAsync(Edit ?? "", null, null, true, Actor.From(HttpContext)), "Users.DisabledNotice");

    public Task<IActionResult> OnPostEnableAsync() =>
        ChangeAsync(() => users.UpdateAsync(Edit ?? "", null, null, false, Actor.From(HttpContext)), "Users.EnabledNotice");

    public async Task<IActionResult> OnPostPasswordAsync()
    {
        var password = Passwords.Generate();
        if (await users.SetPasswordAsync(Edit ?? "", password, Actor.From(HttpContext)))
            NewPassword = password;
        else
            Fail(InputException.NotFound("user", Edit ?? ""));
        await LoadAsync();
        return Page();
    }

    private async Task<IActionResult> ChangeAsync(Func<Task<UserAccount>> change, string notice)
    {
        try
        {
            var user = await change();
            Notice = text[notice, user.UserName];
            ModelState.Clear();
            NewRole = NewCarrier = null;
        }
        catch (InputException e)
        {
            Fail(e);
        }
        await LoadAsync();
        return Page();
    }

    private void Fail(InputException e)
    {
        Error = text.Explain(e);
        Response.StatusCode = e.Status;
    }

    private async Task LoadAsync()
    {
        All = await users.ListAsync();
        Carriers = await carriers.ListAsync();
        Editing = All.FirstOrDefault(u => string.Equals(u.UserName, Edit?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (Editing is not null && NewRole is null)
            (NewRole, NewCarrier) = (Editing.Role, Editing.CarrierCode);
    }
}
