using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using PostalPeak.Audit;
using PostalPeak.Shell;

namespace PostalPeak.Accounts;

internal static class AccountEndpoints
{
    public sealed record Me(string Name, string Role, string? CarrierCode, bool IsToken);
    public sealed record NewUser(string UserName, string? DisplayName, string? Email, string Role, string? CarrierCode, string? Password);
    public sealed record CreatedUser(UserAccount User, string? GeneratedPassword);
    public sealed record NewToken(string Name, DateTime? ExpiresAt);
    /// <summary>A field left out (null) stays as it is; the carrier goes with the role.</summary>
    public sealed record UserChange(string? Role, string? CarrierCode, bool? Disabled);
    public sealed record NewPassword(string UserName, string GeneratedPassword);

    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Accounts");

        api.MapGet("/me", (ClaimsPrincipal user) => new Me(
            user.Identity!.Name!,
            user.FindFirstValue(ClaimTypes.Role)!,
            user.CarrierCode(),
            user.IsInRole(Roles.CarrierToken)));

        var users = api.MapGroup("/users").RequireAuthorization(Policies.Admin);
        users.MapGet("/", (Users accounts) => accounts.ListAsync());
        users.MapPost("/", async Task<Created<CreatedUser>> (NewUser body, Users accounts, HttpContext http) =>
        {
            var generated = string.IsNullOrEmpty(body.Password) ? Passwords.Generate() : null;
            var user = await accounts.AddAsync(body.UserName, body.DisplayName ?? "", body.Email, body.Role, body.CarrierCode,
                generated ?? body.Password!, Actor.From(http));
            return TypedResults.Created($"/api/v1/users/{user.UserName}", new CreatedUser(user, generated));
        });
        // Administrators are people: Shell checks their browsers' anti-forgery header for every API change.
        users.MapPut("/{userName}", async (string userName, UserChange body, Users accounts, HttpContext http) =>
            Results.Ok(await accounts.UpdateAsync(userName, body.Role, body.CarrierCode, body.Disabled, Actor.From(http))))
            .DisableAntiforgery();
        users.MapPost("/{userName}/password", async (string userName, Users accounts, HttpContext http) =>
        {
            var password = Passwords.Generate();
            return await accounts.SetPasswordAsync(userName, password, Actor.From(http))
                ? Results.Ok(new NewPassword(userName.Trim().ToLowerInvariant(), password))
                : throw InputException.NotFound("user", userName);
        }).DisableAntiforgery();

        // Tokens are managed by people: the department's admins, or the carrier's own manager.
        var tokens = api.MapGroup("/carriers/{carrierCode}/tokens").RequireAuthorization(Policies.Person).RequireCarrierAccess();
        tokens.MapGet("/", (string carrierCode, ApiTokens store) => store.ListAsync(carrierCode));
        tokens.MapPost("/", async Task<Created<CreatedApiToken>> (string carrierCode, NewToken body, ApiTokens store, HttpContext http) =>
        {
            var created = await store.CreateAsync(carrierCode, body.Name, body.ExpiresAt, Actor.From(http));
            return TypedResults.Created($"/api/v1/carriers/{created.Token.CarrierCode}/tokens/{created.Token.Id}", created);
        }).RequireAuthorization(policy => policy.RequireRole(Roles.Admin, Roles.CarrierManager));
        tokens.MapDelete("/{tokenId:int}", (string carrierCode, int tokenId, ApiTokens store, HttpContext http) =>
            store.RevokeAsync(carrierCode, tokenId, Actor.From(http)))
            .RequireAuthorization(policy => policy.RequireRole(Roles.Admin, Roles.CarrierManager));

        api.MapGet("/audit", async (Npgsql.NpgsqlDataSource db, int? limit, string? actor, string? action, string? entity, string? from, string? to) =>
            await AuditLog.RecentAsync(db, Math.Clamp(limit ?? 100, 1, 1000),
                new AuditLog.Filter(actor, action, entity, AuditLog.ParseDay(from, "from"), AuditLog.ParseDay(to, "to"))))
            .RequireAuthorization(Policies.Admin).WithTags("Audit");
    }
}
