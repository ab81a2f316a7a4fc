using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using PostalPeak.Shell;

namespace PostalPeak.Accounts;

[AllowAnonymous]
public sealed class SignInModel(Users users, TimeProvider clock, IStringLocalizer<Text> text) : PageModel
{
    [BindProperty] public string UserName { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Message { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(UserName) || string.IsNullOrEmpty(Password))
        {
            Message = text["SignIn.Required"];
            return Page();
        }
        // The connection's address: the proxy's X-Forwarded-For only replaces it when forwarded headers are turned on.
        var result = await users.SignInAsync(UserName, Password, HttpContext.Connection.RemoteIpAddress);
        switch (result)
        {
            case Users.SignInResult.Success success:
                await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, Principal(success.User, success.Stamp));
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
            case Users.SignInResult.LockedOut locked:
                // The same words for a real name, an unknown one and a locked address: only the time differs.
                Message = text["SignIn.LockedOut", locked.Until.ToLocalTimeIn("Asia/Ho_Chi_Minh").ToString("HH:mm dd/MM/yyyy", CultureInfo.CurrentCulture)];
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling((locked.Until - clock.GetUtcNow().UtcDateTime).TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return Page();
            default:
                Message = text["SignIn.Failed"];
                Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Page();
        }
    }

    internal static ClaimsPrincipal Principal(UserAccount user, string stamp)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id.ToString(CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, user.UserName),
            new(ClaimTypes.GivenName, user.DisplayName),
            new(ClaimTypes.Role, user.Role),
            new(PostalPeakClaims.Stamp, stamp),
        };
        if (user.CarrierCode is not null)
            claims.Add(new Claim(PostalPeakClaims.Carrier, user.CarrierCode));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }
}
