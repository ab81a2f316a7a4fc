using PostalPeak.Shell;

namespace PostalPeak.Accounts;

/// <summary>
/// Refuses a request whose route names a carrier the user may not act for. Every endpoint with a
/// <c>{carrierCode}</c> route value carries it, so a carrier manager can never reach another carrier's data.
/// </summary>
public static class CarrierAccessFilter
{
    public const string RouteValue = "carrierCode";

    public static TBuilder RequireCarrierAccess<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (http.Request.RouteValues[RouteValue] is string code && !http.User.MayActFor(code))
                return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                    detail: $"Your account may not act for carrier '{code}'.", extensions: new Dictionary<string, object?> { ["code"] = "carrier_forbidden" });
            return await next(context);
        });
}
