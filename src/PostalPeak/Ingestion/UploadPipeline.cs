using Dapper;
using Hangfire;
using Npgsql;
using PostalPeak.Alerts;
using PostalPeak.Audit;
using PostalPeak.Indicators;

namespace PostalPeak.Ingestion;

/// <summary>
/// What follows an accepted upload, in one place: processing (<see cref="UploadProcessor.ProcessAsync"/>), then the
/// refresh of the indicators it changed (<see cref="IndicatorRefresh.RefreshAfterUploadAsync"/>), then the evaluation
/// of its carrier's alerts (<see cref="AlertEvaluator.EvaluateAfterUploadAsync"/>). Web and API uploads queue the
/// three as Hangfire continuations (<see cref="QueueAsync"/>): each runs only once the one before has succeeded and
/// survives a restart in between. The command line and the drop folder wait for the result and run them inline
/// (<see cref="RunAsync"/>); the demo's bulk load rebuilds everything once at the end (<see cref="RunBulkAsync"/>).
/// Nothing else chains these steps.
/// </summary>
public sealed class UploadPipeline(NpgsqlDataSource db, UploadProcessor processor, IndicatorRefresh indicators, AlertEvaluator alerts,
    IBackgroundJobClient jobs, JobStorage storage)
{
    /// <summary>Processes the upload and, when accepted, refreshes its figures and evaluates its alerts; returns its status.</summary>
    public async Task<string> RunAsync(long uploadId, CancellationToken cancellationToken)
    {
        var status = await processor.ProcessAsync(uploadId, cancellationToken);
        if (status == "accepted")
        {
            await indicators.RefreshAfterUploadAsync(uploadId, cancellationToken);
            await alerts.EvaluateAfterUploadAsync(uploadId, cancellationToken);
        }
        return status;
    }

    /// <summary>
    /// Queues the upload's processing and its follow-ups. The job ids are kept on the upload, so that the resume job
    /// can tell a job still waiting (leave it) from one lost in a crash (queue again, see <see cref="WillRun"/>).
    /// </summary>
    public async Task QueueAsync(long uploadId, CancellationToken cancellationToken = default)
    {
        var processing = jobs.Enqueue<UploadProcessor>(p => p.ProcessAsync(uploadId, CancellationToken.None));
        var refresh = jobs.ContinueJobWith<IndicatorRefresh>(processing, r => r.RefreshAfterUploadAsync(uploadId, CancellationToken.None));
        jobs.ContinueJobWith<AlertEvaluator>(refresh, e => e.EvaluateAfterUploadAsync(uploadId, CancellationToken.None));
        await RememberAsync(uploadId, processing, refresh, cancellationToken);
    }

    /// <summary>Queues the refresh and evaluation of an upload already accepted (its own were lost).</summary>
    public async Task QueueFollowUpsAsync(long uploadId, CancellationToken cancellationToken = default)
    {
        var refresh = jobs.Enqueue<IndicatorRefresh>(r => r.RefreshAfterUploadAsync(uploadId, CancellationToken.None));
        jobs.ContinueJobWith<AlertEvaluator>(refresh, e => e.EvaluateAfterUploadAsync(uploadId, CancellationToken.None));
        await RememberAsync(uploadId, null, refresh, cancellationToken);
    }

    /// <summary>
    /// Many uploads at once (the demo's sample seasons): each group's items stored by <paramref name="receive"/> and
    /// processed in order, the groups side by side (one carrier each: they share nothing); then every indicator is
    /// rebuilt once and every carrier's alerts evaluated once, far cheaper than a refresh and an evaluation per file.
    /// The alerts are evaluated even when nothing was loaded: their missing reports depend on today.
    /// </summary>
    public async Task RunBulkAsync<T>(IEnumerable<IEnumerable<T>> groups, Func<T, CancellationToken, Task<long>> receive,
        Action<T, string> processed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receive);
        ArgumentNullException.ThrowIfNull(processed);
        var any = 0;
        await Parallel.ForEachAsync(groups,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount), CancellationToken = cancellationToken },
            async (group, token) =>
            {
                foreach (var item in group)
                {
                    var uploadId = await receive(item, token);
                    processed(item, await processor.ProcessAsync(uploadId, token));
                    Interlocked.Exchange(ref any, 1);
                }
            });
        if (any == 1)
            await indicators.RecomputeAllAsync(cancellationToken);
        await alerts.EvaluateAllAsync(cancellationToken);
    }

    /// <summary>Rebuilds every carrier's indicators from the stored reports, then evaluates every carrier's alerts (`recompute`).</summary>
    public async Task<IReadOnlyList<IndicatorRefresh.Result>> RecomputeAllAsync(CancellationToken cancellationToken)
    {
        var results = await indicators.RecomputeAllAsync(cancellationToken);
        await alerts.EvaluateAllAsync(cancellationToken);
        return results;
    }

    /// <summary>Queues a full rebuild and the evaluation after it (an administrator's button); the request is audited, the work happens in the jobs.</summary>
    public async Task<string> QueueRecomputeAllAsync(Actor actor)
    {
        var jobId = jobs.Enqueue<IndicatorRefresh>(r => r.RecomputeAllAsync(CancellationToken.None));
        jobs.ContinueJobWith<AlertEvaluator>(jobId, e => e.EvaluateAllAsync(CancellationToken.None));
        await using var connection = await db.OpenConnectionAsync();
        await AuditLog.WriteAsync(connection, null, actor, "indicators.recompute", "indicators", jobId);
        return jobId;
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
