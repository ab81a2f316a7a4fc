using Dapper;
using Npgsql;
using PostalPeak.Audit;
using PostalPeak.Shell;

namespace PostalPeak.Accounts;

public sealed record UserAccount(
    int Id, string UserName, string DisplayName, string? Email, string Role, string? CarrierCode,
    DateTime? LockedUntil, DateTime? LastSignInAt, DateTime? DisabledAt, DateTime CreatedAt);

/// <summary>People's accounts: creation, changes, password sign-in with lockout.</summary>
/// <param name="sessions">Told about every change, so that open sessions follow; the command line has none.</param>
public sealed partial class Users(NpgsqlDataSource db, TimeProvider clock, Sessions? sessions = null)
{
    public const int MaxFailedSignIns = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    private const string SelectUser = """
        select u.id, u.user_name, u.display_name, u.email, u.role, c.code as carrier_code,
               u.locked_until, u.last_sign_in_at, u.disabled_at, u.created_at
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
                new { code = carrierCode.Trim().ToUpperInvariant() }, transaction)
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

    /// <summary>Replaces a password and lifts a lockout; false when there is no such user.</summary>
    public async Task<bool> SetPasswordAsync(string userName, string password, Actor actor)
    {
        if (Passwords.Problem(password) is { } problem)
            throw new InputException("weak_password", $"The password needs {problem}.") { Args = [Passwords.MinimumLength] };
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var carrierId = await connection.QuerySingleOrDefaultAsync<(int Id, int? CarrierId)?>("""
            update app_user set password_hash = @hash, failed_sign_ins = 0, locked_until = null
            where user_name = @userName
            returning id, carrier_id
            """, new { userName = userName.Trim().ToLowerInvariant(), hash = Passwords.Hash(password) }, transaction);
        if (carrierId is null)
            return false;
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

    private sealed record Credentials(int Id, string PasswordHash, int FailedSignIns, DateTime? LockedUntil, DateTime? DisabledAt);

    public abstract record SignInResult
    {
        /// <param name="Stamp">The password's <see cref="Sessions.Stamp"/>, for the cookie.</param>
        public sealed record Success(UserAccount User, string Stamp) : SignInResult;
        public sealed record Failure : SignInResult;
        public sealed record LockedOut(DateTime Until) : SignInResult;
    }

    /// <summary>
    /// Checks a password. After <see cref="MaxFailedSignIns"/> failures in a row the account is locked for
    /// <see cref="LockoutDuration"/>, even for the right password, so guessing is slow. Unknown names and
    /// wrong passwords give the same answer.
    /// </summary>
    public async Task<SignInResult> SignInAsync(string userName, string password, string? remoteIp)
    {
        userName = userName.Trim().ToLowerInvariant();
        var now = clock.GetUtcNow().UtcDateTime;
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var row = await connection.QuerySingleOrDefaultAsync<Credentials>(
            "select id, password_hash, failed_sign_ins, locked_until, disabled_at from app_user where user_name = @userName for update",
            new { userName }, transaction);
        if (row is null || row.DisabledAt is not null)
        {
            Passwords.Verify(Passwords.Hash("timing"), password); // same work as a real check
            return new SignInResult.Failure();
        }
        var actor = new Actor(userName, row.Id, null, remoteIp);
        if (row.LockedUntil is { } lockedUntil && lockedUntil > now)
        {
            await AuditLog.WriteAsync(connection, transaction, actor, "user.sign_in_refused_locked", "user", userName);
            await transaction.CommitAsync();
            return new SignInResult.LockedOut(lockedUntil);
        }
        if (!Passwords.Verify(row.PasswordHash, password))
        {
            var failed = row.FailedSignIns + 1;
            DateTime? lockUntil = failed >= MaxFailedSignIns ? now + LockoutDuration : null;
            await connection.ExecuteAsync(
                "update app_user set failed_sign_ins = @failed, locked_until = @lockUntil where id = @Id",
                new { failed = lockUntil is null ? failed : 0, lockUntil, row.Id }, transaction);
            await AuditLog.WriteAsync(connection, transaction, actor, lockUntil is null ? "user.sign_in_failed" : "user.locked_out", "user", userName,
                details: new { failed });
            await transaction.CommitAsync();
            return lockUntil is { } until ? new SignInResult.LockedOut(until) : new SignInResult.Failure();
        }
        await connection.ExecuteAsync(
            "update app_user set failed_sign_ins = 0, locked_until = null, last_sign_in_at = @now where id = @Id",
            new { now, row.Id }, transaction);
        await AuditLog.WriteAsync(connection, transaction, actor, "user.sign_in", "user", userName);
        var user = await connection.QuerySingleAsync<UserAccount>(SelectUser + " where u.id = @Id", new { row.Id }, transaction);
        await transaction.CommitAsync();
        return new SignInResult.Success(user, Sessions.Stamp(row.PasswordHash));
    }
}
