using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace PostalPeak.Accounts;

/// <summary>
/// Refuses a request that names a carrier the caller may not act for (<see cref="CarrierScope"/>), in its route
/// (<c>{carrierCode}</c>) or its query (<c>carrier=</c>), before the handler runs. Declared once per route group
/// that names carriers; pages get it from <see cref="CarrierPageAccessFilter"/>. The handlers still read their
/// effective filter from <see cref="CarrierScope.Filter"/>, which refuses in the same words.
/// </summary>
public static class CarrierAccessFilter
{
    public const string RouteValue = "carrierCode";
    public const string QueryValue = "carrier";

    /// <summary>Marks the endpoints that carry the filter, so a test can tell one that names carriers without it.</summary>
    public sealed class Metadata;

    public static TBuilder RequireCarrierAccess<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new Metadata()).AddEndpointFilter(async (context, next) =>
        {
            if (Refused(context.HttpContext, query: true) is { } code)
                throw CarrierScope.Forbidden(code);
            return await next(context);
        });

    /// <summary>The carrier the request names (in its route, and with <paramref name="query"/> in its query) and the caller may not act for, if any.</summary>
    public static string? Refused(HttpContext http, bool query)
    {
        var scope = CarrierScope.Of(http.User);
        if (http.GetRouteValue(RouteValue) is string routed && !scope.MayActFor(routed))
            return Carriers.CarrierCodes.Normalize(routed);
        var named = query ? http.Request.Query[QueryValue].FirstOrDefault(code => !string.IsNullOrWhiteSpace(code) && !scope.MayActFor(code)) : null;
        return named is null ? null : Carriers.CarrierCodes.Normalize(named);
    }
}

/// <summary>
/// The same rule for pages: any page whose route or query names a carrier refuses a user who may not act for it,
/// before any handler runs, and also when a request selects no handler at all (a bare POST renders the page). A
/// refusal a handler raises itself (<see cref="CarrierScope.Filter"/>) ends on the same access-denied page.
/// </summary>
public sealed class CarrierPageAccessFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        // The query counts where the page reads it: the error page, re-executed with a refused request's query, does not.
        var readsCarrierQuery = context.ActionDescriptor.BoundProperties.Concat(context.HandlerMethod?.Parameters ?? [])
            .Any(p => string.Equals(p.BindingInfo?.BinderModelName ?? p.Name, CarrierAccessFilter.QueryValue, StringComparison.OrdinalIgnoreCase));
        if (CarrierAccessFilter.Refused(context.HttpContext, readsCarrierQuery) is not null)
        {
            context.Result = new ForbidResult();
            return;
        }
        var executed = await next();
        if (executed.Exception is Shell.InputException { Code: "carrier_forbidden" } && !executed.ExceptionHandled)
        {
            executed.Result = new ForbidResult();
            executed.ExceptionHandled = true;
        }
    }
}
