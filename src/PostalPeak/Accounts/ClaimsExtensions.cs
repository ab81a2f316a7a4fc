using System.Globalization;
using System.Security.Claims;
using PostalPeak.Shell;

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

    public static bool IsDepartment(this ClaimsPrincipal user) => user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Analyst);

    /// <summary>
    /// Whether the user may see or act for this carrier. Department staff act for every carrier; a carrier
    /// manager or token only for its own. Every carrier-scoped endpoint asks this one question.
    /// </summary>
    public static bool MayActFor(this ClaimsPrincipal user, string carrierCode) =>
        user.Identity?.IsAuthenticated == true
        && (user.IsDepartment() || string.Equals(user.CarrierCode(), carrierCode, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The carrier a carrier-scoped request reads or writes, from the <c>carrier</c> it names (may be null). Department
    /// staff get what they named (null: every carrier). A carrier manager or token gets its own carrier; naming another
    /// one is refused with 403 <c>carrier_forbidden</c>, never quietly swapped for its own, so a client that sends a
    /// file or a query for the wrong carrier hears about it. Every endpoint and page that takes <c>carrier=</c> asks this.
    /// </summary>
    public static string? CarrierScope(this ClaimsPrincipal user, string? carrier)
    {
        var named = string.IsNullOrWhiteSpace(carrier) ? null : carrier.Trim().ToUpperInvariant();
        if (user.IsDepartment())
            return named;
        var own = user.CarrierCode();
        // An account that is neither staff nor bound to a carrier must not fall through to "every carrier".
        if (own is null || (named is not null && !user.MayActFor(named)))
            throw CarrierForbidden(named ?? "");
        return own;
    }

    public static InputException CarrierForbidden(string carrierCode) =>
        new("carrier_forbidden", $"Your account may not act for carrier '{carrierCode}'.", StatusCodes.Status403Forbidden) { Args = [carrierCode] };
}
