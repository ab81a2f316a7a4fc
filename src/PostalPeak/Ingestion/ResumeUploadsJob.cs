using Dapper;
using Hangfire;
using Npgsql;
using PostalPeak.Indicators;

namespace PostalPeak.Ingestion;

/// <summary>
/// Queues again every upload that was stored but never finished, such as one received just before a crash,
/// before its job was queued. Processing is safe to repeat, so a second queueing costs nothing.
/// </summary>
public sealed class ResumeUploadsJob(NpgsqlDataSource db, IBackgroundJobClient jobs)
{
    public const string Id = "ingestion.resume";
    public const string Cron = "*/5 * * * *";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var stuck = (await connection.QueryAsync<long>(new CommandDefinition(
            "select id from upload where status in ('queued', 'processing') and received_at < now() - interval '2 minutes' order by id",
            cancellationToken: cancellationToken))).AsList();
        foreach (var id in stuck)
            IndicatorRefresh.QueueAfter(jobs, id);
        return stuck.Count;
    }
}
