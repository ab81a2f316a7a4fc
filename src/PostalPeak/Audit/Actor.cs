using System.Security.Claims;
using PostalPeak.Accounts;

namespace PostalPeak.Audit;

/// <summary>Who did something: a signed-in person, a carrier's API token, or an operator at the command line.</summary>
public sealed record Actor(string Name, int? UserId, int? TokenId, string? RemoteIp)
{
    public static Actor CommandLine() => new($"cli:{Environment.UserName}", null, null, null);

    public static Actor From(HttpContext context) => From(context.User, context.Connection.RemoteIpAddress?.ToString());

    public static Actor From(ClaimsPrincipal user, string? remoteIp) => new(
        user.Identity?.Name ?? "anonymous",
        user.UserId(),
        user.TokenId(),
        remoteIp);
}
