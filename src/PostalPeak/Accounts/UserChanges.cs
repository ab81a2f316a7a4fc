using Dapper;
using PostalPeak.Audit;
using PostalPeak.Shell;

namespace PostalPeak.Accounts;

/// <summary>An administrator's changes to an existing account: role and carrier, disabled or not.</summary>
public sealed partial class Users
{
    /// <summary>
    /// Changes an account. A null <paramref name="role"/> keeps the role and carrier; a null <paramref name="disabled"/>
    /// keeps the status. Each change is audited (<c>user.role</c>, <c>user.disable</c>, <c>user.enable</c>); nothing
    /// changed writes nothing. Nobody may take away their own administration, and the last active administrator stays.
    /// </summary>
    public async Task<UserAccount> UpdateAsync(string userName, string? role, string? carrierCode, bool? disabled, Actor actor)
    {
        userName = userName.Trim().ToLowerInvariant();
        carrierCode = Carriers.CarrierCodes.NormalizeOrNull(carrierCode);
        string? normalizedRole = null;
        if (role is not null)
        {
            normalizedRole = Roles.Normalize(role)
                ?? throw new InputException("invalid_role", $"'{role}' is not a role; use one of {string.Join(", ", Roles.People)}.") { Args = [role ?? "", string.Join(", ", Roles.People)] };
            CheckCarrier(normalizedRole, carrierCode);
        }

        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        // Every active administrator is locked, so two administrators demoting each other at once cannot leave none.
        var admins = (await connection.QueryAsync<int>(
            "select id from app_user where role = 'Admin' and disabled_at is null order by id for update", transaction: transaction)).AsList();
        var before = await connection.QuerySingleOrDefaultAsync<UserAccount>(SelectUser + " where u.user_name = @userName for update of u",
            new { userName }, transaction) ?? throw InputException.NotFound("user", userName);
        var beforeCarrierId = await connection.QuerySingleAsync<int?>("select carrier_id from app_user where id = @Id", new { before.Id }, transaction);

        var newRole = normalizedRole ?? before.Role;
        var newCarrier = normalizedRole is null ? before.CarrierCode : carrierCode;
        var wasDisabled = before.DisabledAt is not null;
        var nowDisabled = disabled ?? wasDisabled;
        var losesAdministration = before.Role == Roles.Admin && !wasDisabled && (newRole != Roles.Admin || nowDisabled);
        if (losesAdministration && before.Id == actor.UserId)
            throw new InputException("own_account",
                "You cannot disable your own account or take away your own administrator role; another administrator can.", StatusCodes.Status409Conflict);
        if (losesAdministration && admins.All(id => id == before.Id))
            throw new InputException("last_admin",
                $"'{userName}' is the last active administrator; make someone else an administrator first.", StatusCodes.Status409Conflict);

        var carrierId = beforeCarrierId;
        if (newRole != before.Role || newCarrier != before.CarrierCode)
        {
            carrierId = newCarrier is null ? null
                : await connection.QuerySingleOrDefaultAsync<int?>("select id from carrier where code = @newCarrier", new { newCarrier }, transaction)
                    ?? throw InputException.NotFound("carrier", newCarrier);
            await connection.ExecuteAsync("update app_user set role = @newRole, carrier_id = @carrierId where id = @Id",
                new { newRole, carrierId, before.Id }, transaction);
            await AuditLog.WriteAsync(connection, transaction, actor, "user.role", "user", userName, carrierId ?? beforeCarrierId,
                new { fromRole = before.Role, fromCarrier = before.CarrierCode, role = newRole, carrierCode = newCarrier });
        }
        if (nowDisabled != wasDisabled)
        {
            await connection.ExecuteAsync("update app_user set disabled_at = case when @nowDisabled then now() end where id = @Id",
                new { nowDisabled, before.Id }, transaction);
            await AuditLog.WriteAsync(connection, transaction, actor, nowDisabled ? "user.disable" : "user.enable", "user", userName, carrierId);
        }
        var after = await connection.QuerySingleAsync<UserAccount>(SelectUser + " where u.id = @Id", new { before.Id }, transaction);
        await transaction.CommitAsync();
        sessions?.Forget();
        return after;
    }

    /// <summary>The rule of the database's check constraint, said in words before it is hit.</summary>
    private static void CheckCarrier(string role, string? carrierCode)
    {
        if ((role == Roles.CarrierManager) != !string.IsNullOrWhiteSpace(carrierCode))
            throw new InputException("carrier_required",
                role == Roles.CarrierManager
                    ? "A carrier manager must be bound to a carrier."
                    : "Only a carrier manager is bound to a carrier.");
    }
}
