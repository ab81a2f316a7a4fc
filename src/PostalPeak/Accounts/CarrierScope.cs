using System.Security.Claims;
using PostalPeak.Carriers;
using PostalPeak.Shell;

namespace PostalPeak.Accounts;

/// <summary>
/// Which carriers a caller may see and act for: the one rule every endpoint, page and store asks. Department staff
/// (Admin, Analyst) reach every carrier; a carrier manager or an API token only the carrier it is bound to; an account
/// that is neither reaches none (it must never fall through to "every carrier").
/// </summary>
/// <remarks>
/// Naming another carrier is refused with 403 <c>carrier_forbidden</c>, whether in a route (<c>{carrierCode}</c>) or a
/// query (<c>carrier=</c>), and whether or not that carrier exists. It is never quietly swapped for the caller's own,
/// so a client that sends a file or a query for the wrong carrier hears about it, and the answer never holds another
/// carrier's data.
/// </remarks>
public sealed class CarrierScope
{
    private CarrierScope(bool everyCarrier, string? own) => (EveryCarrier, Own) = (everyCarrier, own);

    /// <summary>Department staff: every carrier.</summary>
    public bool EveryCarrier { get; }

    /// <summary>The carrier a carrier manager or token is bound to; null for department staff.</summary>
    public string? Own { get; }

    public static CarrierScope Of(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
            return new(false, null);
        return user.IsDepartment() ? new(true, null) : new(false, CarrierCodes.NormalizeOrNull(user.CarrierCode()));
    }

    /// <summary>Lets an endpoint take the caller's scope as a parameter.</summary>
    public static ValueTask<CarrierScope?> BindAsync(HttpContext context) => ValueTask.FromResult<CarrierScope?>(Of(context.User));

    public bool MayActFor(string? carrierCode) =>
        carrierCode is not null && (EveryCarrier || (Own is not null && CarrierCodes.Same(Own, carrierCode)));

    /// <summary>
    /// The carrier filter a request reads or writes under, from the carrier it names (null or blank: none). Department
    /// staff get what they named, null meaning every carrier. A carrier manager or token gets its own carrier, and naming
    /// another one throws <see cref="Forbidden"/>.
    /// </summary>
    public string? Filter(string? requested = null)
    {
        var named = CarrierCodes.NormalizeOrNull(requested);
        if (EveryCarrier)
            return named;
        if (Own is null || (named is not null && named != Own))
            throw Forbidden(named ?? "");
        return Own;
    }

    /// <summary>The one refusal: the API answers it as a 403 problem with code <c>carrier_forbidden</c>, a page as the access-denied page.</summary>
    public static InputException Forbidden(string carrierCode) =>
        new("carrier_forbidden", $"Your account may not act for carrier '{carrierCode}'.", StatusCodes.Status403Forbidden) { Args = [carrierCode] };
}
