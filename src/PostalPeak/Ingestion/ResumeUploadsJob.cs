using Dapper;
using Npgsql;

namespace PostalPeak.Ingestion;

/// <summary>
/// Picks up what a crash or a lost job left behind: an upload stored but never finished (received just before
/// a crash, before its job was queued, or whose job gave up), and an accepted upload whose figures were never
/// refreshed (the process died during the refresh). Runs at start and every few minutes. An upload whose job
/// will still run is left alone, so a long queue is never doubled; processing counts its attempts and ends a
/// hopeless upload as failed, so nothing is queued again for ever.
/// </summary>
public sealed class ResumeUploadsJob(NpgsqlDataSource db, UploadPipeline pipeline, ILogger<ResumeUploadsJob> logger)
{
    public const string Id = "ingestion.resume";
    public const string Cron = "*/5 * * * *";

    public sealed record Resumed(IReadOnlyList<long> Processing, IReadOnlyList<long> Figures);

    public async Task<Resumed> RunAsync(CancellationToken cancellationToken)
    {
        List<(long Id, string? JobId)> unfinished, unrefreshed;
        await using (var connection = await db.OpenConnectionAsync(cancellationToken))
        {
            unfinished = (await connection.QueryAsync<(long, string?)>(new CommandDefinition("""
                select id, job_id from upload
                where status in ('queued', 'processing') and received_at < now() - interval '2 minutes'
                order by id
                """, cancellationToken: cancellationToken))).AsList();
            unrefreshed = (await connection.QueryAsync<(long, string?)>(new CommandDefinition("""
                select id, follow_up_job_id from upload
                where status = 'accepted' and figures_updated_at is null and finished_at < now() - interval '2 minutes'
                order by id
                """, cancellationToken: cancellationToken))).AsList();
        }
        var processing = new List<long>();
        foreach (var (id, jobId) in unfinished.Where(u => !pipeline.WillRun(u.JobId)))
        {
            await pipeline.QueueAsync(id, cancellationToken);
            processing.Add(id);
        }
        var figures = new List<long>();
        foreach (var (id, jobId) in unrefreshed.Where(u => !pipeline.WillRun(u.JobId)))
        {
            await pipeline.QueueFollowUpsAsync(id, cancellationToken);
            figures.Add(id);
        }
        if (processing.Count + figures.Count > 0)
            logger.LogWarning("Resumed {Processing} unfinished upload(s) and the figures of {Figures} accepted upload(s)", processing.Count, figures.Count);
        return new Resumed(processing, figures);
    }
}
