using Dapper;
using Npgsql;
using PostalPeak.Audit;
using PostalPeak.Shell;

namespace PostalPeak.Accounts;

public sealed record UserAccount(
    int Id, string UserName, string DisplayName, string? Email, string Role, string? CarrierCode,
    DateTime? LockedUntil, DateTime? LastSignInAt, DateTime? DisabledAt, DateTime CreatedAt);

/// <summary>People's accounts: creation, changes, password sign-in (throttled), sign-out.</summary>
/// <param name="sessions">Told about every change, so that open sessions follow; the command line has none.</param>
public sealed partial class Users(NpgsqlDataSource db, TimeProvider clock, Sessions? sessions = null)
{
    /// <summary>Failures of one name from one address before that pair is locked; see <see cref="SignInThrottle"/>.</summary>
    public const int MaxFailedSignIns = SignInThrottle.MaxFailuresPerPair;
    /// <summary>Failures from one address, over every name, before the address is locked.</summary>
    public const int MaxFailedSignInsPerAddress = SignInThrottle.MaxFailuresPerAddress;
    public static readonly TimeSpan LockoutDuration = SignInThrottle.LockoutDuration;

    private const string SelectUser = """
        select u.id, u.user_name, u.display_name, u.email, u.role, c.code as carrier_code,
               (select max(t.locked_until) from sign_in_throttle t where t.scope = 'pair' and t.user_name = u.user_name) as locked_until,
               u.last_sign_in_at, u.disabled_at, u.created_at
        from app_user u left join carrier c on c.id = u.carrier_id
        """;

    /// <summary>Fields may be missing (an empty form field, a JSON body without them): each is then refused by name.</summary>
    public async Task<UserAccount> AddAsync(string? userName, string? displayName, string? email, string? role, string? carrierCode, string? password, Actor actor)
    {
        userName = (userName ?? "").Trim().ToLowerInvariant();
        displayName ??= "";
        password ??= "";
        if (!System.Text.RegularExpressions.Regex.IsMatch(userName, "^[a-z0-9][a-z0-9._@-]{1,63}$"))
            throw new InputException("invalid_user_name", "A user name is 2 to 64 characters: letters, digits, '.', '_', '@' or '-'.");
        var normalizedRole = Roles.Normalize(role)
            ?? throw new InputException("invalid_role", $"'{role}' is not a role; use one of {string.Join(", ", Roles.People)}.") { Args = [role ?? "", string.Join(", ", Roles.People)] };
        if (Passwords.Problem(password) is { } problem)
            throw new InputException("weak_password", $"The password needs {problem}.") { Args = [Passwords.MinimumLength] };
        CheckCarrier(normalizedRole, carrierCode);

        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        int? carrierId = null;
        if (carrierCode is not null)
        {
            carrierId = await connection.QuerySingleOrDefaultAsync<int?>("select id from carrier where code = @code",
                new { code = Carriers.CarrierCodes.Normalize(carrierCode) }, transaction)
                ?? throw InputException.NotFound("carrier", carrierCode);
        }
        const string insert = """
            insert into app_user (user_name, display_name, email, role, carrier_id, password_hash)
            values (@userName, @displayName, @email, @role, @carrierId, @hash)
            on conflict (user_name) do nothing
            returning id
            """;
        var id = await connection.QuerySingleOrDefaultAsync<int?>(insert, new
        {
            userName,
            displayName = string.IsNullOrWhiteSpace(displayName) ? userName : displayName.Trim(),
            email = string.IsNullOrWhiteSpace(email) ? null : email.Trim(),
            role = normalizedRole,
            carrierId,
            hash = Passwords.Hash(password),
        }, transaction) ?? throw new InputException("user_exists", $"A user named '{userName}' exists already.", StatusCodes.Status409Conflict) { Args = [userName] };
        await AuditLog.WriteAsync(connection, transaction, actor, "user.add", "user", userName, carrierId, new { role = normalizedRole, carrierCode });
        var user = await connection.QuerySingleAsync<UserAccount>(SelectUser + " where u.id = @id", new { id }, transaction);
        await transaction.CommitAsync();
        return user;
    }

    /// <summary>Replaces a password and lifts the name's lockouts from every address; false when there is no such user.</summary>
    public async Task<bool> SetPasswordAsync(string userName, string password, Actor actor)
    {
        if (Passwords.Problem(password) is { } problem)
            throw new InputException("weak_password", $"The password needs {problem}.") { Args = [Passwords.MinimumLength] };
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var carrierId = await connection.QuerySingleOrDefaultAsync<(int Id, int? CarrierId)?>("""
            update app_user set password_hash = @hash
            where user_name = @userName
            returning id, carrier_id
            """, new { userName = userName.Trim().ToLowerInvariant(), hash = Passwords.Hash(password) }, transaction);
        if (carrierId is null)
            return false;
        await SignInThrottle.LiftAsync(connection, transaction, userName.Trim().ToLowerInvariant());
        await AuditLog.WriteAsync(connection, transaction, actor, "user.password", "user", userName, carrierId.Value.CarrierId, null);
        await transaction.CommitAsync();
        sessions?.Forget();
        return true;
    }

    public async Task<IReadOnlyList<UserAccount>> ListAsync()
    {
        await using var connection = await db.OpenConnectionAsync();
        return (await connection.QueryAsync<UserAccount>(SelectUser + " order by u.user_name")).AsList();
    }

    private sealed record Credentials(int Id, string PasswordHash, Guid SecurityStamp, DateTime? DisabledAt);

    public abstract record SignInResult
    {
        /// <param name="Stamp">The account's <see cref="Sessions.Stamp"/>, for the cookie.</param>
        public sealed record Success(UserAccount User, string Stamp) : SignInResult;
        public sealed record Failure : SignInResult;
        public sealed record LockedOut(DateTime Until) : SignInResult;
    }

    /// <summary>
    /// Checks a password, throttled by <see cref="SignInThrottle"/>: <see cref="MaxFailedSignIns"/> failures of one name
    /// from one address lock that name from that address for <see cref="LockoutDuration"/>, even for the right password,
    /// and many failures from one address lock the address. Unknown names, disabled accounts and wrong passwords take
    /// the same steps (a password is checked against a stand-in hash) and give the same answers, locks included.
    /// </summary>
    public async Task<SignInResult> SignInAsync(string userName, string password, System.Net.IPAddress? remoteAddress)
    {
        userName = SignInThrottle.KeyOf(userName.Trim().ToLowerInvariant());
        var now = clock.GetUtcNow().UtcDateTime;
        await using var connection = await db.OpenConnectionAsync();
        // Counted on its own, committed at once, before the password is looked at: parallel guesses see each other.
        var attempt = await SignInThrottle.CountAsync(connection, SignInThrottle.SourceOf(remoteAddress), userName, now);
        var row = await connection.QuerySingleOrDefaultAsync<Credentials>(
            "select id, password_hash, security_stamp, disabled_at from app_user where user_name = @userName", new { userName });
        var account = row is { DisabledAt: null } ? row : null;
        var actor = new Actor(userName, row?.Id, null, remoteAddress?.ToString());
        var details = new { failed = attempt.PairFailures, addressFailures = attempt.AddressFailures };

        if (attempt.LockedUntil is not null || attempt.Overrun)
        {
            var until = attempt.LockedUntil ?? (await SignInThrottle.LockIfExhaustedAsync(connection, null, attempt, now))!.Value;
            await AuditLog.WriteAsync(connection, null, actor, "user.sign_in_refused_locked", "user", userName, details: details);
            return new SignInResult.LockedOut(until);
        }
        if (!Passwords.Verify(account?.PasswordHash ?? Passwords.NoAccountHash, password) || account is null)
        {
            await using var failing = await connection.BeginTransactionAsync();
            var lockedUntil = await SignInThrottle.LockIfExhaustedAsync(connection, failing, attempt, now);
            await AuditLog.WriteAsync(connection, failing, actor, lockedUntil is null ? "user.sign_in_failed" : "user.locked_out", "user", userName,
                details: details);
            await failing.CommitAsync();
            await SignInThrottle.PruneAsync(connection, now);
            return lockedUntil is { } until ? new SignInResult.LockedOut(until) : new SignInResult.Failure();
        }
        await using var transaction = await connection.BeginTransactionAsync();
        await SignInThrottle.SucceededAsync(connection, transaction, attempt);
        await connection.ExecuteAsync("update app_user set last_sign_in_at = @now where id = @Id", new { now, account.Id }, transaction);
        await AuditLog.WriteAsync(connection, transaction, actor, "user.sign_in", "user", userName);
        var user = await connection.QuerySingleAsync<UserAccount>(SelectUser + " where u.id = @Id", new { account.Id }, transaction);
        await transaction.CommitAsync();
        return new SignInResult.Success(user, Sessions.Stamp(account.PasswordHash, account.SecurityStamp));
    }

    /// <summary>
    /// Signing out: the account gets a new security stamp, so every cookie issued before, on this device or another,
    /// stops matching it (<see cref="Sessions"/>). Audited as <c>user.sign_out</c>.
    /// </summary>
    public async Task EndSessionsAsync(int userId, Actor actor)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var account = await connection.QuerySingleOrDefaultAsync<(string UserName, int? CarrierId)?>(
            "update app_user set security_stamp = gen_random_uuid() where id = @userId returning user_name, carrier_id", new { userId }, transaction);
        if (account is null)
            return;
        await AuditLog.WriteAsync(connection, transaction, actor, "user.sign_out", "user", account.Value.UserName, account.Value.CarrierId);
        await transaction.CommitAsync();
        sessions?.Forget(userId);
    }
}
