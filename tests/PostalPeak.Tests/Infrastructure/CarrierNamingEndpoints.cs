using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Accounts;

namespace PostalPeak.Tests.Infrastructure;

/// <summary>
/// The endpoints and pages that name a carrier, found in the application's own endpoint data source: an API
/// handler with a <c>carrier</c> parameter, a page whose model binds <c>carrier</c> from the query (a property or
/// a handler's parameter), and any route with <c>{carrierCode}</c>. A new one is found without being listed.
/// </summary>
public static class CarrierNamingEndpoints
{
    public sealed record Found(RouteEndpoint Endpoint, bool IsPage)
    {
        public string Route => "/" + Endpoint.RoutePattern.RawText?.Trim('/');
        public IReadOnlyList<string> Methods => Endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
        public override string ToString() => Route;
    }

    public static IReadOnlyList<RouteEndpoint> All(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

    /// <summary>Every endpoint and page that takes <c>carrier=</c> in its query.</summary>
    public static IReadOnlyList<Found> TakingCarrierQuery(IServiceProvider services) =>
        All(services).Select(endpoint => endpoint.Metadata.GetMetadata<PageActionDescriptor>() is { } page
                ? PageModel(page) is { } model && PageTakesCarrier(model) ? new Found(endpoint, true) : null
                : endpoint.Metadata.GetMetadata<MethodInfo>() is { } handler && handler.GetParameters().Any(IsCarrier) ? new Found(endpoint, false) : null)
            .OfType<Found>()
            .ToList();

    /// <summary>Every endpoint and page whose route names a carrier.</summary>
    public static IReadOnlyList<Found> RoutedByCarrier(IServiceProvider services) =>
        All(services).Where(e => e.RoutePattern.Parameters.Any(p => p.Name == CarrierAccessFilter.RouteValue))
            .Select(e => new Found(e, e.Metadata.GetMetadata<PageActionDescriptor>() is not null))
            .ToList();

    /// <summary>A page's model type, from the compiled Razor item of its descriptor.</summary>
    public static Type? PageModel(PageActionDescriptor page) =>
        typeof(Program).Assembly.GetCustomAttributes<Microsoft.AspNetCore.Razor.Hosting.RazorCompiledItemAttribute>()
            .FirstOrDefault(item => string.Equals(item.Identifier, page.RelativePath, StringComparison.OrdinalIgnoreCase))
            ?.Type.GetProperty("Model")?.PropertyType;

    private static bool PageTakesCarrier(Type model) =>
        model.GetProperties().Any(p => p.GetCustomAttribute<BindPropertyAttribute>() is { SupportsGet: true } bind
                                       && IsCarrierName(bind.Name ?? p.Name))
        || model.GetMethods().Where(m => m.Name.StartsWith("OnGet", StringComparison.Ordinal)).SelectMany(m => m.GetParameters()).Any(IsCarrier);

    private static bool IsCarrier(ParameterInfo parameter) =>
        IsCarrierName(parameter.GetCustomAttribute<FromQueryAttribute>()?.Name ?? parameter.Name);

    private static bool IsCarrierName(string? name) => string.Equals(name, CarrierAccessFilter.QueryValue, StringComparison.OrdinalIgnoreCase);
}
