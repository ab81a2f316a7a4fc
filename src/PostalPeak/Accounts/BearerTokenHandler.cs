using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace PostalPeak.Accounts;

/// <summary>Authenticates <c>Authorization: Bearer pp_…</c> as the carrier the token is bound to.</summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        var token = await tokens.AuthenticateAsync(header["Bearer ".Length..].Trim());
        if (token is null)
            return AuthenticateResult.Fail("The API token is unknown, expired or revoked.");

        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, $"token:{token.CarrierCode}:{token.Prefix}"),
            new Claim(ClaimTypes.Role, Roles.CarrierToken),
            new Claim(PostalPeakClaims.Carrier, token.CarrierCode),
            new Claim(PostalPeakClaims.Token, token.Id.ToString(CultureInfo.InvariantCulture)),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
