using System.Globalization;
using System.Security.Claims;

namespace PostalPeak.Accounts;

public static class PostalPeakClaims
{
    public const string Carrier = "postalpeak:carrier";
    public const string Token = "postalpeak:token";
    /// <summary>See <see cref="Sessions.Stamp"/>.</summary>
    public const string Stamp = "postalpeak:stamp";
}

public static class ClaimsExtensions
{
    public static int? UserId(this ClaimsPrincipal user) =>
        int.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), CultureInfo.InvariantCulture, out var id) ? id : null;

    public static int? TokenId(this ClaimsPrincipal user) =>
        int.TryParse(user.FindFirstValue(PostalPeakClaims.Token), CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>The carrier a carrier manager or token is bound to; null for department staff.</summary>
    public static string? CarrierCode(this ClaimsPrincipal user) => user.FindFirstValue(PostalPeakClaims.Carrier);

    /// <summary>Admin or Analyst. Which carriers the user may see is <see cref="CarrierScope"/>'s question, not this one's.</summary>
    public static bool IsDepartment(this ClaimsPrincipal user) => user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Analyst);
}
