using System.Globalization;
using System.Text.Json;
using Dapper;
using Npgsql;
using PostalPeak.Shell;

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

    /// <summary>
    /// What to look for: the actor and action by their beginning ("cli:", "user."), the target type exactly,
    /// and local days (Asia/Ho_Chi_Minh) from and to, both included. Empty means any.
    /// </summary>
    public sealed record Filter(string? Actor = null, string? Action = null, string? Entity = null, DateOnly? From = null, DateOnly? To = null,
        string? CarrierCode = null);

    public static async Task<IReadOnlyList<Entry>> RecentAsync(NpgsqlDataSource db, int limit, Filter? filter = null)
    {
        const string sql = """
            select a.id, a.at, a.actor, a.action, a.target_type as TargetType, a.target_id as TargetId,
                   c.code as CarrierCode, a.details::text as Details
            from audit_log a left join carrier c on c.id = a.carrier_id
            where (@CarrierCode::text is null or c.code = @CarrierCode)
              and (@Actor::text is null or starts_with(lower(a.actor), lower(@Actor)))
              and (@Action::text is null or starts_with(a.action, lower(@Action)))
              and (@Entity::text is null or a.target_type = lower(@Entity))
              and (@From::date is null or a.at >= @From::date::timestamp at time zone 'Asia/Ho_Chi_Minh')
              and (@To::date is null or a.at < (@To::date + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh')
            order by a.id desc
            limit @Limit
            """;
        filter ??= new Filter();
        await using var connection = await db.OpenConnectionAsync();
        return (await connection.QueryAsync<Entry>(sql, new
        {
            Limit = limit,
            filter.CarrierCode,
            Actor = Blank(filter.Actor),
            Action = Blank(filter.Action),
            Entity = Blank(filter.Entity),
            filter.From,
            filter.To,
        })).AsList();
    }

    /// <summary>A day as yyyy-MM-dd, whatever the request's culture (an &lt;input type=date&gt; posts that form).</summary>
    public static DateOnly? ParseDay(string? text, string name) =>
        string.IsNullOrWhiteSpace(text) ? null
            : DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day
            : throw new InputException("invalid_date", $"{name} must be a date written yyyy-MM-dd, not '{text}'.") { Args = [text] };

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
