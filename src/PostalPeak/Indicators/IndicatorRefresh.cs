using System.Diagnostics;
using Dapper;
using Hangfire;
using Npgsql;
using PostalPeak.Storage;

namespace PostalPeak.Indicators;

/// <summary>
/// Keeps daily_indicator in step with daily_report. After an upload only the series it changed are
/// recomputed, from the earliest changed day on (a change moves every later closing of its chain);
/// a full recompute rebuilds one carrier at a time. Both are safe to run twice and serialise with
/// uploads of the same carrier through the carrier's advisory lock.
/// </summary>
public sealed class IndicatorRefresh(NpgsqlDataSource db, ILogger<IndicatorRefresh> logger)
{
    public sealed record Result(int CarrierId, int Units, DateOnly? From, long Rows, TimeSpan Elapsed);

    /// <summary>
    /// The whole chain of a series can depend on its first row (a closing carried by flows from an
    /// anchor weeks earlier; open complaints from the first report), so the window functions see every
    /// row of the series and only rows from @from on are written.
    /// </summary>
    internal const string ComputeSql = """
        with src as (
            select r.carrier_id, r.unit_code, r.report_date, r.received, r.delivered, r.returned, r.lost, r.damaged,
                   r.backlog, r.complaints_received, r.complaints_resolved,
                   r.received - r.delivered - coalesce(r.returned, 0) - coalesce(r.lost, 0) as net,
                   -- Consecutive reported days share a run key; a missing day starts a new run.
                   r.report_date - (row_number() over (partition by r.carrier_id, r.unit_code order by r.report_date))::int as run_key
            from daily_report r
            where (@carrierId::int is null or r.carrier_id = @carrierId)
              and (@units::text[] is null or r.unit_code = any(@units))
        ),
        anchored as (
            -- Within a run, each counted backlog starts a segment the flows carry forward.
            select src.*, count(backlog) over (partition by carrier_id, unit_code, run_key order by report_date) as anchor_key
            from src
        ),
        chained as (
            select anchored.*,
                   case when backlog is not null then backlog
                        when anchor_key = 0 then null
                        else sum(coalesce(backlog, net)) over (partition by carrier_id, unit_code, run_key, anchor_key order by report_date)
                   end as closing
            from anchored
        ),
        measured as (
            select chained.*,
                   lag(closing) over (partition by carrier_id, unit_code, run_key order by report_date) as opening,
                   count(*) over w3 as window_days,
                   sum(received) over w3 as window_received,
                   sum(delivered) over w3 as window_delivered,
                   sum(complaints_received) over w3 as window_complaints,
                   sum(case when complaints_received is not null then received end) over w3 as window_complaint_base,
                   sum(coalesce(complaints_received, 0) - coalesce(complaints_resolved, 0)) over series as complaint_balance,
                   count(complaints_received) over series + count(complaints_resolved) over series as complaint_facts
            from chained
            window w3 as (partition by carrier_id, unit_code order by report_date range between interval '2 days' preceding and current row),
                   series as (partition by carrier_id, unit_code order by report_date rows between unbounded preceding and current row)
        )
        select carrier_id, unit_code, report_date, received, delivered, returned, lost, damaged, backlog,
               complaints_received, complaints_resolved,
               opening, closing,
               opening + net as flow_backlog,
               opening + net - backlog as unaccounted,
               closing - opening as backlog_growth,
               case when complaint_facts > 0 then complaint_balance end as open_complaints,
               window_days, window_received, window_delivered, window_complaints, window_complaint_base,
               window_delivered::float8 / nullif(window_received, 0) as throughput_ratio,
               delivered::float8 / nullif(opening + received, 0) as clearance_rate,
               closing / nullif(window_delivered::float8 / window_days, 0) as days_to_clear,
               10000.0 * lost / nullif(delivered + coalesce(returned, 0) + lost, 0) as loss_per_10k,
               10000.0 * damaged / nullif(delivered + coalesce(returned, 0) + coalesce(lost, 0), 0) as damage_per_10k,
               10000.0 * window_complaints / nullif(window_complaint_base, 0) as complaints_per_10k
        from measured
        where (@from::date is null or report_date >= @from)
        """;

    private const string InsertSql = $"""
        insert into daily_indicator (carrier_id, unit_code, report_date, received, delivered, returned, lost, damaged, backlog,
            complaints_received, complaints_resolved, opening, closing, flow_backlog, unaccounted, backlog_growth, open_complaints,
            window_days, window_received, window_delivered, window_complaints, window_complaint_base,
            throughput_ratio, clearance_rate, days_to_clear, loss_per_10k, damage_per_10k, complaints_per_10k)
        {ComputeSql}
        """;

    private const string DeleteSql = """
        delete from daily_indicator
        where carrier_id = @carrierId
          and (@units::text[] is null or unit_code = any(@units))
          and (@from::date is null or report_date >= @from)
        """;

    /// <summary>The job queued after an upload: the rows the upload wrote are the ones it changed.</summary>
    public async Task<Result?> RefreshAfterUploadAsync(long uploadId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var changes = (await connection.QueryAsync<Change>(new CommandDefinition("""
            select r.carrier_id as CarrierId, r.unit_code as UnitCode, min(r.report_date) as FirstDay
            from daily_report r
            where r.upload_id = @uploadId
            group by r.carrier_id, r.unit_code
            """, new { uploadId }, cancellationToken: cancellationToken))).AsList();
        Result? result = null;
        if (changes.Count > 0)
            result = await RefreshAsync(changes[0].CarrierId, [.. changes.Select(c => c.UnitCode)], changes.Min(c => c.FirstDay), cancellationToken);
        // Told to the uploader: from now on the dashboard shows this file. An upload that changed nothing is current at once.
        await connection.ExecuteAsync(new CommandDefinition(
            "update upload set figures_updated_at = now() where id = @uploadId and status = 'accepted'",
            new { uploadId }, cancellationToken: cancellationToken));
        if (result is null)
            return null;
        logger.LogInformation("Indicators after upload {UploadId}: {Rows} rows of {Units} units from {From} in {Elapsed} ms",
            uploadId, result.Rows, result.Units, result.From, (long)result.Elapsed.TotalMilliseconds);
        return result;
    }

    /// <summary>Rebuilds every carrier's indicators, one carrier per transaction.</summary>
    public async Task<IReadOnlyList<Result>> RecomputeAllAsync(CancellationToken cancellationToken)
    {
        List<int> carriers;
        await using (var connection = await db.OpenConnectionAsync(cancellationToken))
        {
            carriers = (await connection.QueryAsync<int>(new CommandDefinition(
                "select id from carrier order by id", cancellationToken: cancellationToken))).AsList();
        }
        var results = new List<Result>();
        foreach (var carrierId in carriers)
            results.Add(await RefreshAsync(carrierId, null, null, cancellationToken));
        // Every accepted upload is in the figures now, including any whose own refresh has not run yet.
        await using (var connection = await db.OpenConnectionAsync(cancellationToken))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "update upload set figures_updated_at = now() where status = 'accepted' and figures_updated_at is null", cancellationToken: cancellationToken));
        }
        logger.LogInformation("Indicators recomputed for {Carriers} carriers: {Rows} rows in {Elapsed} ms",
            results.Count, results.Sum(r => r.Rows), (long)results.Sum(r => r.Elapsed.TotalMilliseconds));
        return results;
    }

    /// <summary>
    /// Changes after every committed refresh; caches of figures key on it. With a carrier, after every committed
    /// refresh of that carrier only: what a caller scoped to one carrier is told, so that it cannot watch others report.
    /// </summary>
    public static async Task<long> DataVersionAsync(NpgsqlDataSource db, string? carrierCode, CancellationToken cancellationToken)
    {
        const string all = "select case when is_called then last_value else 0 end from indicator_data_version";
        const string one = """
            select coalesce((select v.version from carrier_data_version v join carrier c on c.id = v.carrier_id where c.code = @carrierCode), 0)
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<long>(new CommandDefinition(carrierCode is null ? all : one, new { carrierCode },
            cancellationToken: cancellationToken));
    }

    /// <summary>Recomputes one carrier's series (all of them when <paramref name="units"/> is null) from a day on.</summary>
    public async Task<Result> RefreshAsync(int carrierId, string[]? units, DateOnly? from, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The same lock as UploadProcessor: a refresh never reads a carrier's half-written upload.
        await connection.ExecuteAsync(new CommandDefinition(AdvisoryLocks.LockCarrier, new { carrierId }, transaction, cancellationToken: cancellationToken));
        var parameters = new { carrierId, units, from };
        await connection.ExecuteAsync(new CommandDefinition(DeleteSql, parameters, transaction, commandTimeout: 0, cancellationToken: cancellationToken));
        var rows = await connection.ExecuteAsync(new CommandDefinition(InsertSql, parameters, transaction, commandTimeout: 0, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        // After commit: a cache keyed by the new version can only ever hold the new figures. The carrier's own
        // version never goes back when two of its refreshes finish out of order.
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into carrier_data_version as v (carrier_id, version) values (@carrierId, nextval('indicator_data_version'))
            on conflict (carrier_id) do update set version = greatest(v.version, excluded.version)
            """, new { carrierId }, cancellationToken: cancellationToken));
        return new Result(carrierId, units?.Length ?? 0, from, rows, clock.Elapsed);
    }

    private sealed record Change(int CarrierId, string UnitCode, DateOnly FirstDay);
}
