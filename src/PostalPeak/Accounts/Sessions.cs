using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Npgsql;

namespace PostalPeak.Accounts;

/// <summary>
/// Keeps a sign-in cookie in step with its account. The cookie is valid for 12 hours, but disabling the account,
/// changing its role or carrier, resetting its password or signing out must end the session long before that: every
/// request compares the cookie with the account as stored. The account is read again at most every
/// <see cref="RecheckAfter"/> per process, and at once in the process that changed it.
/// </summary>
public sealed class Sessions(NpgsqlDataSource db, TimeProvider clock)
{
    /// <summary>How stale another process's view of an account may be; the changing process forgets at once.</summary>
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(30);

    private sealed record Account(bool Active, string Role, string? CarrierCode, string PasswordHash, Guid SecurityStamp);

    private readonly ConcurrentDictionary<int, (Account? Account, DateTimeOffset ReadAt)> _accounts = new();

    /// <summary>
    /// A digest of the password hash and the account's security stamp, carried in the cookie: a new password or a
    /// new security stamp (drawn at sign-out, <see cref="Users.EndSessionsAsync"/>) gives a new stamp, so a reset or
    /// a sign-out ends every session opened before it without storing anything per session.
    /// </summary>
    public static string Stamp(string passwordHash, Guid securityStamp) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(passwordHash + "\n" + securityStamp.ToString("N"))))[..16];

    /// <summary>Called after any account change; changes are rare, so forgetting everyone is cheap and cannot miss.</summary>
    public void Forget() => _accounts.Clear();

    /// <summary>Called after one person's sign-out, which is more frequent than an administrator's change.</summary>
    public void Forget(int userId) => _accounts.TryRemove(userId, out _);

    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is { } principal && await StillValidAsync(principal))
            return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    private async Task<bool> StillValidAsync(ClaimsPrincipal principal)
    {
        if (principal.UserId() is not { } id)
            return false;
        var now = clock.GetUtcNow();
        if (!_accounts.TryGetValue(id, out var cached) || now - cached.ReadAt > RecheckAfter)
        {
            cached = (await ReadAsync(id), now);
            _accounts[id] = cached;
        }
        return cached.Account is { Active: true } account
            && account.Role == principal.FindFirstValue(ClaimTypes.Role)
            && account.CarrierCode == principal.CarrierCode()
            && Stamp(account.PasswordHash, account.SecurityStamp) == principal.FindFirstValue(PostalPeakClaims.Stamp);
    }

    private async Task<Account?> ReadAsync(int id)
    {
        const string sql = """
            select u.disabled_at is null as active, u.role, c.code as carrier_code, u.password_hash, u.security_stamp
            from app_user u left join carrier c on c.id = u.carrier_id
            where u.id = @id
            """;
        await using var connection = await db.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<Account>(sql, new { id });
    }
}
