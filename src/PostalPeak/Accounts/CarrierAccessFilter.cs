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
                    detail: Translations.In(ShellExtensions.ReaderCulture(http))["Error.carrier_forbidden", code], extensions: new Dictionary<string, object?> { ["code"] = "carrier_forbidden" });
            return await next(context);
        });
}

/// <summary>
/// The same rule for pages: any page whose route names a carrier refuses a user who may not act for it,
/// before any handler runs, and also when a request selects no handler at all (a bare POST renders the page).
/// </summary>
public sealed class CarrierPageAccessFilter : Microsoft.AspNetCore.Mvc.Filters.IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(Microsoft.AspNetCore.Mvc.Filters.PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutingContext context,
        Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutionDelegate next)
    {
        if (context.RouteData.Values[CarrierAccessFilter.RouteValue] is string code && !context.HttpContext.User.MayActFor(code))
        {
            context.Result = new Microsoft.AspNetCore.Mvc.ForbidResult();
            return;
        }
        await next();
    }
}
