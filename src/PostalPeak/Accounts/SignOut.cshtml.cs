using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PostalPeak.Audit;

namespace PostalPeak.Accounts;

/// <summary>
/// Signing out ends the session for good, not only in this browser: the account's security stamp changes, so the
/// cookie (a saved copy included) and the account's sessions on other devices stop at their next request.
/// </summary>
[AllowAnonymous]
public sealed class SignOutModel(Users users) : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        if (User.Identity?.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme && User.UserId() is { } id)
            await users.EndSessionsAsync(id, Actor.From(HttpContext));
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return LocalRedirect("/account/sign-in");
    }
}
