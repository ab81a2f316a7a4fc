using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing.Patterns;
using PostalPeak.Accounts;

namespace PostalPeak.Tests.Infrastructure;

/// <summary>An address that reaches a mapped route: each route value from the caller, else one that matches.</summary>
public static partial class EndpointUrls
{
    public static string Fill(RoutePattern pattern, string carrier, Func<string, string?>? value = null)
    {
        var path = "/" + string.Join("/", pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart parameter when value?.Invoke(parameter.Name) is { } given => given,
            RoutePatternParameterPart { Name: CarrierAccessFilter.RouteValue } => carrier,
            RoutePatternParameterPart { Name: "kind" } => "backlog",
            RoutePatternParameterPart { Name: "format" } => "csv",
            RoutePatternParameterPart => "1",
            _ => "",
        }))));
        return TrailingSlash().Replace(path, "");
    }

    [GeneratedRegex("(?<=.)/$")]
    private static partial Regex TrailingSlash();
}
