using Dapper;
using Hangfire;
using Npgsql;
using PostalPeak.Alerts;
using PostalPeak.Indicators;

namespace PostalPeak.Ingestion;

/// <summary>
/// The jobs that carry an upload: processing, then as continuations the refresh of what it changed and the
/// alert evaluation of its carrier. Each runs only once the one before has succeeded and survives a restart in
/// between. The job ids are kept on the upload, so that the resume job can tell a job still waiting (leave it)
/// from one lost in a crash (queue again).
/// </summary>
public sealed class UploadJobs(NpgsqlDataSource db, IBackgroundJobClient jobs, JobStorage storage)
{
    /// <summary>Queues the upload's processing and its follow-ups.</summary>
    public async Task QueueAsync(long uploadId, CancellationToken cancellationToken = default)
    {
        var processing = jobs.Enqueue<UploadProcessor>(processor => processor.ProcessAsync(uploadId, CancellationToken.None));
        var refresh = QueueFollowUps(processing, uploadId);
        await RememberAsync(uploadId, processing, refresh, cancellationToken);
    }

    /// <summary>Queues the refresh and evaluation of an upload already accepted.</summary>
    public async Task QueueFollowUpsAsync(long uploadId, CancellationToken cancellationToken = default)
    {
        var refresh = jobs.Enqueue<IndicatorRefresh>(r => r.RefreshAfterUploadAsync(uploadId, CancellationToken.None));
        jobs.ContinueJobWith<AlertEvaluator>(refresh, evaluator => evaluator.EvaluateAfterUploadAsync(uploadId, CancellationToken.None));
        await RememberAsync(uploadId, null, refresh, cancellationToken);
    }

    private string QueueFollowUps(string processing, long uploadId)
    {
        var refresh = jobs.ContinueJobWith<IndicatorRefresh>(processing, r => r.RefreshAfterUploadAsync(uploadId, CancellationToken.None));
        jobs.ContinueJobWith<AlertEvaluator>(refresh, evaluator => evaluator.EvaluateAfterUploadAsync(uploadId, CancellationToken.None));
        return refresh;
    }

    private async Task RememberAsync(long uploadId, string? processing, string refresh, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "update upload set job_id = coalesce(@processing, job_id), follow_up_job_id = @refresh where id = @uploadId",
            new { uploadId, processing, refresh }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Whether a job will still run by itself: waiting in a queue or a schedule, behind a parent that will, or running
    /// on a server that is alive. A job that a killed server held is not: it would wait for the invisibility timeout.
    /// </summary>
    public bool WillRun(string? jobId)
    {
        if (string.IsNullOrEmpty(jobId))
            return false;
        using var connection = storage.GetConnection();
        for (var depth = 0; depth < 4; depth++)
        {
            var state = connection.GetStateData(jobId);
            // Hangfire's state names (EnqueuedState.StateName and the others), which are not constants.
            switch (state?.Name)
            {
                case "Enqueued" or "Scheduled":
                    return true;
                case "Processing":
                    return state.Data.TryGetValue("ServerId", out var server)
                        && storage.GetMonitoringApi().Servers().Any(s => string.Equals(s.Name, server, StringComparison.Ordinal));
                case "Awaiting" when state.Data.TryGetValue("ParentId", out var parent):
                    jobId = parent;
                    continue;
                default:
                    return false;
            }
        }
        return false;
    }
}
