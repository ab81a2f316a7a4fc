using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Npgsql;
using PostalPeak.Audit;
using PostalPeak.Shell;

namespace PostalPeak.Accounts;

public sealed record ApiToken(
    int Id, string CarrierCode, string Name, string Prefix, string? CreatedBy, DateTime CreatedAt,
    DateTime? ExpiresAt, DateTime? RevokedAt, DateTime? LastUsedAt)
{
    public bool IsActive(DateTime now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}

/// <summary>A token's secret, shown to its creator once.</summary>
public sealed record CreatedApiToken(ApiToken Token, string Secret);

/// <summary>
/// Bearer tokens for machines, each bound to one carrier. Secrets are 256 random bits, so a plain SHA-256
/// is enough to store them (unlike passwords, they cannot be guessed from a dictionary).
/// </summary>
public sealed class ApiTokens(NpgsqlDataSource db, TimeProvider clock, Microsoft.Extensions.Options.IOptions<AccountsOptions> options)
{
    public const string SecretPrefix = "pp_";
    private const string VietnamZone = "Asia/Ho_Chi_Minh";
    /// <summary>last_used_at is written at most this often per token, so busy clients do not write on every call.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private const string SelectToken = """
        select t.id, c.code as carrier_code, t.name, t.prefix, u.user_name as created_by, t.created_at,
               t.expires_at, t.revoked_at, t.last_used_at
        from api_token t join carrier c on c.id = t.carrier_id left join app_user u on u.id = t.created_by
        """;

    /// <summary>
    /// The one set of rules for a new token, whether the API, the tokens page or the command line asks: a name, an
    /// expiry (if any) still to come, and room under <see cref="AccountsOptions.MaxTokensPerCarrier"/>.
    /// An expiry without an offset is Vietnam time, as everywhere a person types a time.
    /// </summary>
    public async Task<CreatedApiToken> CreateAsync(string carrierCode, string name, DateTime? expiresAt, Actor actor)
    {
        carrierCode = Carriers.CarrierCodes.Normalize(carrierCode);
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
            throw new InputException("invalid_token_name", "A token name is 1 to 100 characters, e.g. the system that will use it.");
        var now = clock.GetUtcNow().UtcDateTime;
        if (expiresAt is { } asked)
        {
            expiresAt = asked.ToUtcFrom(VietnamZone)
                ?? throw new InputException("invalid_date", $"{asked:yyyy-MM-dd HH:mm} does not exist in Vietnam time.") { Args = [asked.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)] };
            if (expiresAt <= now)
            {
                // Said as the last day the token would have worked, the way the tokens page asks for it.
                var lastDay = expiresAt.Value.AddTicks(-1).ToLocalTimeIn(VietnamZone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                throw new InputException("expiry_past",
                    $"The expiry {expiresAt.Value.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC is over already; choose a later time, or none.") { Args = [lastDay] };
            }
        }
        var secret = SecretPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        // The carrier's row lock makes two simultaneous creations count one after the other.
        var carrierId = await connection.QuerySingleOrDefaultAsync<int?>("select id from carrier where code = @code for update",
            new { code = carrierCode }, transaction) ?? throw InputException.NotFound("carrier", carrierCode);
        var active = await connection.QuerySingleAsync<int>("""
            select count(*)::int from api_token
            where carrier_id = @carrierId and revoked_at is null and (expires_at is null or expires_at > @now)
            """, new { carrierId, now }, transaction);
        var max = options.Value.MaxTokensPerCarrier;
        if (active >= max)
            throw new InputException("token_limit",
                $"Carrier '{carrierCode}' has {active} active tokens, the most allowed ({max}); revoke one it no longer uses first.",
                StatusCodes.Status409Conflict) { Args = [carrierCode, max] };
        const string insert = """
            insert into api_token (carrier_id, name, secret_hash, prefix, created_by, expires_at)
            values (@carrierId, @name, @hash, @prefix, @UserId, @expiresAt)
            returning id
            """;
        var id = await connection.QuerySingleAsync<int>(insert, new
        {
            carrierId, name = name.Trim(), hash = Hash(secret), prefix = secret[..10], actor.UserId, expiresAt,
        }, transaction);
        await AuditLog.WriteAsync(connection, transaction, actor, "token.create", "api_token", id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            carrierId, new { name, expiresAt });
        var token = await connection.QuerySingleAsync<ApiToken>(SelectToken + " where t.id = @id", new { id }, transaction);
        await transaction.CommitAsync();
        return new CreatedApiToken(token, secret);
    }

    public async Task<IReadOnlyList<ApiToken>> ListAsync(string carrierCode)
    {
        carrierCode = Carriers.CarrierCodes.Normalize(carrierCode);
        await using var connection = await db.OpenConnectionAsync();
        return (await connection.QueryAsync<ApiToken>(SelectToken + " where c.code = @code order by t.id",
            new { code = carrierCode })).AsList();
    }

    public async Task<ApiToken> RevokeAsync(string carrierCode, int tokenId, Actor actor)
    {
        carrierCode = Carriers.CarrierCodes.Normalize(carrierCode);
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        const string revoke = """
            update api_token t set revoked_at = coalesce(t.revoked_at, now()), revoked_by = coalesce(t.revoked_by, @UserId)
            from carrier c
            where c.id = t.carrier_id and c.code = @code and t.id = @tokenId
            returning t.carrier_id
            """;
        var carrierId = await connection.QuerySingleOrDefaultAsync<int?>(revoke,
            new { actor.UserId, code = carrierCode, tokenId }, transaction)
            ?? throw InputException.NotFound("token", $"{carrierCode}/{tokenId}");
        await AuditLog.WriteAsync(connection, transaction, actor, "token.revoke", "api_token",
            tokenId.ToString(System.Globalization.CultureInfo.InvariantCulture), carrierId);
        var token = await connection.QuerySingleAsync<ApiToken>(SelectToken + " where t.id = @tokenId", new { tokenId }, transaction);
        await transaction.CommitAsync();
        return token;
    }

    /// <summary>The active token with this secret, or null. Records when it was last used.</summary>
    public async Task<ApiToken?> AuthenticateAsync(string secret)
    {
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal) || secret.Length > 100)
            return null;
        var now = clock.GetUtcNow().UtcDateTime;
        await using var connection = await db.OpenConnectionAsync();
        var token = await connection.QuerySingleOrDefaultAsync<ApiToken>(SelectToken + " where t.secret_hash = @hash", new { hash = Hash(secret) });
        if (token is null || !token.IsActive(now))
            return null;
        if (token.LastUsedAt is null || now - token.LastUsedAt > LastUsedResolution)
            await connection.ExecuteAsync("update api_token set last_used_at = @now where id = @Id", new { now, token.Id });
        return token;
    }

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
