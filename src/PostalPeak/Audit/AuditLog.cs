using System.Text.Json;
using Dapper;
using Npgsql;

namespace PostalPeak.Audit;

/// <summary>
/// The record of every state-changing action. Entries are written on the caller's connection and
/// transaction, so an action and its audit entry commit or roll back together.
/// </summary>
public static class AuditLog
{
    public static Task WriteAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Actor actor, string action,
        string targetType, string? targetId, int? carrierId = null, object? details = null)
    {
        const string sql = """
            insert into audit_log (actor, user_id, token_id, action, target_type, target_id, carrier_id, details, remote_ip)
            values (@Name, @UserId, @TokenId, @Action, @TargetType, @TargetId, @CarrierId, @Details::jsonb, @RemoteIp::inet)
            """;
        return connection.ExecuteAsync(sql, new
        {
            actor.Name, actor.UserId, actor.TokenId, Action = action, TargetType = targetType, TargetId = targetId,
            CarrierId = carrierId, Details = JsonSerializer.Serialize(details ?? new { }), actor.RemoteIp,
        }, transaction);
    }

    public sealed record Entry(long Id, DateTime At, string Actor, string Action, string TargetType, string? TargetId, string? CarrierCode, string Details);

    public static async Task<IReadOnlyList<Entry>> RecentAsync(NpgsqlDataSource db, int limit, string? carrierCode = null)
    {
        const string sql = """
            select a.id, a.at, a.actor, a.action, a.target_type as TargetType, a.target_id as TargetId,
                   c.code as CarrierCode, a.details::text as Details
            from audit_log a left join carrier c on c.id = a.carrier_id
            where @CarrierCode::text is null or c.code = @CarrierCode
            order by a.id desc
            limit @Limit
            """;
        await using var connection = await db.OpenConnectionAsync();
        return (await connection.QueryAsync<Entry>(sql, new { Limit = limit, CarrierCode = carrierCode })).AsList();
    }
}
