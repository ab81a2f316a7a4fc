using Dapper;
using Hangfire;
using Npgsql;

namespace PostalPeak.Alerts;

/// <summary>
/// Queues delivery of pending messages that are overdue: a crash between a commit and its enqueue, or a
/// scheduled retry that was lost, delays a message by at most a sweep instead of losing it. Queuing a
/// message twice is harmless: the delivery locks the row and skips a message that is not pending and due.
/// </summary>
public sealed class OutboxSweepJob(NpgsqlDataSource db, IBackgroundJobClient jobs, ILogger<OutboxSweepJob> logger)
{
    public const string Id = "notifications.sweep";
    public const string DefaultCron = "* * * * *";

    /// <summary>A message is left this long to its own job before the sweep steps in, so the two rarely race.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        const string sql = """
            select id from notification
            where status = 'pending' and next_attempt_at < now() - @Grace
            order by next_attempt_at
            limit 1000
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var ids = (await connection.QueryAsync<long>(new CommandDefinition(sql, new { Grace }, cancellationToken: cancellationToken))).AsList();
        if (ids.Count > 0)
        {
            logger.LogInformation("Queued {Count} overdue notifications", ids.Count);
            Outbox.Dispatch(jobs, ids);
        }
        return ids.Count;
    }
}
