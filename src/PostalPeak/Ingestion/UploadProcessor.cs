using System.Globalization;
using System.Text.Json;
using Dapper;
using Hangfire;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using PostalPeak.Jobs;
using PostalPeak.Storage;

namespace PostalPeak.Ingestion;

/// <summary>
/// The job that turns a stored upload into daily reports: detect the encoding, read and check every line,
/// COPY the rows into a staging table and upsert them, keeping replaced values in history; all in one
/// transaction, so a file is written whole or not at all. Takes the upload id only and is safe to run
/// twice: a finished upload is left alone, and a run that died part-way left nothing behind.
/// </summary>
public sealed class UploadProcessor(NpgsqlDataSource db, TimeProvider clock, IOptions<JobsOptions> jobs,
    IOptions<IngestionOptions> options, ILogger<UploadProcessor> logger)
{
    private const string Values = "received, delivered, returned, lost, damaged, backlog, complaints_received, complaints_resolved, staff_on_duty, note";

    /// <summary>Starts of processing after which an upload ends as failed, whatever the cause.</summary>
    public const int MaxAttempts = 3;

    // Hangfire retries what this method throws: only transient faults (a database restart), and only while attempts remain.
    [AutomaticRetry(Attempts = MaxAttempts)]
    public async Task<string> ProcessAsync(long uploadId, CancellationToken cancellationToken)
    {
        int? attempts;
        await using (var connection = await db.OpenConnectionAsync(cancellationToken))
        {
            attempts = await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition("""
                update upload set status = 'processing', started_at = now(), attempts = attempts + 1
                where id = @uploadId and status in ('queued', 'processing')
                returning attempts
                """, new { uploadId }, cancellationToken: cancellationToken));
        }
        // A file that killed the process on every try (nothing to catch) ends here rather than being resumed for ever.
        if (attempts > MaxAttempts)
            return await FailAsync(uploadId, $"processing started {attempts} times without finishing", cancellationToken);
        try
        {
            return await ProcessOnceAsync(uploadId, cancellationToken);
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            if (Storage.DatabaseFaults.IsUnavailable(e) && attempts < MaxAttempts)
                throw;
            logger.LogError(e, "Upload {Upload} failed on attempt {Attempt}", uploadId, attempts);
            return await FailAsync(uploadId, e.GetType().Name, cancellationToken);
        }
    }

    /// <summary>Ends the upload as failed, with a message for the uploader; nothing of the file was written.</summary>
    private async Task<string> FailAsync(long uploadId, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var status = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "select status from upload where id = @uploadId for update", new { uploadId }, transaction, cancellationToken: cancellationToken));
        if (status is not ("queued" or "processing"))
            return status ?? "missing";
        var issues = new IssueCollector();
        issues.Add(Issue.Error(null, null, IssueCodes.ProcessingFailed));
        await Finish(connection, transaction, uploadId, "failed", null, null, issues, null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogWarning("Upload {Upload} ended as failed ({Reason}); an administrator can retry it", uploadId, reason);
        return "failed";
    }

    private async Task<string> ProcessOnceAsync(long uploadId, CancellationToken cancellationToken)
    {
        await using var write = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await write.BeginTransactionAsync(cancellationToken);
        // One carrier's uploads are written one after the other: corrections apply in order, and the same file
        // sent twice at once is recognised as a duplicate. The carrier lock comes first and the row lock is
        // NO KEY UPDATE, so a duplicate pointing at an upload still being written cannot deadlock with it.
        var carrierId = await write.QuerySingleOrDefaultAsync<int?>("select carrier_id from upload where id = @uploadId", new { uploadId }, transaction);
        if (carrierId is null)
            return "missing";
        await write.ExecuteAsync(AdvisoryLocks.LockCarrier, new { carrierId }, transaction);
        var upload = await write.QuerySingleAsync<Head>("""
            select u.status, u.carrier_id, c.code, u.sha256, u.size_bytes
            from upload u join carrier c on c.id = u.carrier_id where u.id = @uploadId for no key update of u
            """, new { uploadId }, transaction);
        if (upload.Status is not ("queued" or "processing"))
            return upload.Status;

        var first = await write.QuerySingleOrDefaultAsync<long?>("""
            select min(id) from upload
            where carrier_id = @CarrierId and sha256 = @Sha256 and id < @uploadId and status not in ('duplicate', 'failed')
            """, new { upload.CarrierId, upload.Sha256, uploadId }, transaction);
        if (first is not null)
        {
            await Finish(write, transaction, uploadId, "duplicate", first, null, null, null, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return "duplicate";
        }

        var issues = new IssueCollector();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var summary = await ReadAndStageAsync(write, transaction, uploadId, upload.Code, upload.SizeBytes, issues, cancellationToken);
        if (summary is not null)
        {
            // A temporary table has no statistics until analysed; without them the joins below plan badly.
            await write.ExecuteAsync("analyze staging", transaction: transaction);
            await FindDuplicateRowsAsync(write, transaction, issues, cancellationToken);
        }

        if (issues.HasErrors)
        {
            await transaction.RollbackAsync(cancellationToken);
            await using var reject = await write.BeginTransactionAsync(cancellationToken);
            await Finish(write, reject, uploadId, "rejected", null, summary, issues, null, cancellationToken);
            await reject.CommitAsync(cancellationToken);
            logger.LogInformation("Upload {Upload} rejected with {Errors} error(s)", uploadId, issues.ErrorCount);
            return "rejected";
        }

        var read = clock.Elapsed;
        await AddWarningsAsync(write, transaction, upload.CarrierId, issues, cancellationToken);
        var checkedAt = clock.Elapsed;
        var counts = await WriteRowsAsync(write, transaction, upload.CarrierId, uploadId, cancellationToken);
        // Every day needs its Tết season (phase, offset, compliance), however old the file. Created last, so that another
        // carrier's upload needing the same new season waits on this transaction for its final moments only.
        if (summary is { FirstDay: { } firstDay, LastDay: { } lastDay })
        {
            await Calendar.Seasons.EnsureAsync(write, transaction, Calendar.Seasons.DefaultYearOf(firstDay), Calendar.Seasons.DefaultYearOf(lastDay),
                cancellationToken);
        }
        await Finish(write, transaction, uploadId, "accepted", null, summary, issues, counts, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Upload {Upload} accepted: {Rows} rows ({New} new, {Corrected} corrected); read and staged in {Read} ms, "
            + "plausibility checks {Checks} ms, written in {Write} ms", uploadId, summary?.Rows, counts.New, counts.Corrected,
            (long)read.TotalMilliseconds, (long)(checkedAt - read).TotalMilliseconds, (long)(clock.Elapsed - checkedAt).TotalMilliseconds);
        return "accepted";
    }

    private sealed record Head(string Status, int CarrierId, string Code, byte[] Sha256, long SizeBytes);

    private sealed record Staged(int Rows, string Encoding, string? Separator, DateOnly? FirstDay, DateOnly? LastDay);

    private sealed record Counts(int New, int Corrected, int Unchanged);

    private async Task<Staged?> ReadAndStageAsync(NpgsqlConnection write, NpgsqlTransaction transaction, long uploadId, string carrierCode,
        long size, IssueCollector issues, CancellationToken cancellationToken)
    {
        if (size > options.Value.MaxUploadBytes)
        {
            issues.Add(Issue.Error(null, null, IssueCodes.TooLarge, ("size", size.ToString(CultureInfo.InvariantCulture)),
                ("max", options.Value.MaxUploadBytes.ToString(CultureInfo.InvariantCulture))));
            return null;
        }
        var detected = await TextEncodingDetector.DetectAsync(() => OpenContentAsync(uploadId, cancellationToken), cancellationToken);
        if (!detected.IsText)
        {
            issues.Add(Issue.Error(null, null, IssueCodes.NotText, ("reason", detected.NotTextReason ?? "undecodable")));
            return null;
        }

        await write.ExecuteAsync($"""
            create temp table staging (
                line integer, unit_code text, report_date date, received bigint, delivered bigint, returned bigint, lost bigint,
                damaged bigint, backlog bigint, complaints_received bigint, complaints_resolved bigint, staff_on_duty bigint, note text
            ) on commit drop
            """, transaction: transaction);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), jobs.Value.Zone()).DateTime);
        var reader = new ReportFileReader(await UnitCatalog.LoadAsync(write, transaction), carrierCode, today);

        await using var importer = await write.BeginBinaryImportAsync($"copy staging (line, unit_code, report_date, {Values}) from stdin (format binary)", cancellationToken);
        await using var content = await OpenContentAsync(uploadId, cancellationToken);
        DateOnly? firstDay = null, lastDay = null;
        // Synchronous writes into the importer's buffer: it flushes to the socket only when full, and a million
        // awaits per column would cost more than the copy itself.
        var summary = await reader.ReadAsync(content, detected.Encoding!, issues, row =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (firstDay is null || row.ReportDate < firstDay)
                firstDay = row.ReportDate;
            if (lastDay is null || row.ReportDate > lastDay)
                lastDay = row.ReportDate;
            importer.StartRow();
            importer.Write(row.Line, NpgsqlDbType.Integer);
            importer.Write(row.UnitCode, NpgsqlDbType.Text);
            importer.Write(row.ReportDate, NpgsqlDbType.Date);
            importer.Write(row.Received, NpgsqlDbType.Bigint);
            importer.Write(row.Delivered, NpgsqlDbType.Bigint);
            WriteNullable(importer, row.Returned);
            WriteNullable(importer, row.Lost);
            WriteNullable(importer, row.Damaged);
            WriteNullable(importer, row.Backlog);
            WriteNullable(importer, row.ComplaintsReceived);
            WriteNullable(importer, row.ComplaintsResolved);
            WriteNullable(importer, row.StaffOnDuty);
            if (row.Note is null)
                importer.WriteNull();
            else
                importer.Write(row.Note, NpgsqlDbType.Text);
            return ValueTask.CompletedTask;
        }, cancellationToken);
        await importer.CompleteAsync(cancellationToken);
        return new Staged(summary.Rows, detected.Name, summary.Separator switch { null or '\0' => null, '\t' => "tab", { } c => c.ToString() }, firstDay, lastDay);
    }

    private static void WriteNullable(NpgsqlBinaryImporter importer, long? value)
    {
        if (value is { } v)
            importer.Write(v, NpgsqlDbType.Bigint);
        else
            importer.WriteNull();
    }

    /// <summary>The stored bytes as a stream, on a connection of their own (the writing one is busy copying).</summary>
    private async Task<Stream> OpenContentAsync(long uploadId, CancellationToken cancellationToken)
    {
        var connection = await db.OpenConnectionAsync(cancellationToken);
        var command = new NpgsqlCommand("select content from upload where id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = uploadId });
        var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess | System.Data.CommandBehavior.CloseConnection, cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new OwningStream(await reader.GetStreamAsync(0, cancellationToken), reader, command);
    }

    private static async Task FindDuplicateRowsAsync(NpgsqlConnection write, NpgsqlTransaction transaction, IssueCollector issues, CancellationToken cancellationToken)
    {
        var duplicates = write.QueryUnbufferedAsync<(int Line, string UnitCode, DateOnly ReportDate, int FirstLine)>("""
            select line, unit_code, report_date, first_line from (
                select line, unit_code, report_date, min(line) over (partition by unit_code, report_date) as first_line from staging
            ) s where line <> first_line order by line
            """, transaction: transaction);
        await foreach (var d in duplicates.WithCancellation(cancellationToken))
            issues.Add(Issue.Error(d.Line, ReportColumns.UnitCode, IssueCodes.DuplicateRow, ("unit", d.UnitCode),
                ("date", d.ReportDate.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)), ("first", d.FirstLine.ToString(CultureInfo.InvariantCulture))));
    }

    private sealed record Neighbourhood(int Line, long? Opening, long Received, long Delivered, long? Returned, long? Lost, long? Backlog,
        long? ComplaintsReceived, long? ComplaintsResolved, long OpenBefore, long? PreviousReceived);

    /// <summary>
    /// Plausibility checks against the day before (from this file or earlier uploads). They only warn:
    /// the carrier's figures are its own report, and the department wants to see them, not lose them.
    /// </summary>
    private static async Task AddWarningsAsync(NpgsqlConnection write, NpgsqlTransaction transaction, int carrierId, IssueCollector issues, CancellationToken cancellationToken)
    {
        // Streamed, not buffered: a million-line file must not become a million objects at once.
        var rows = write.QueryUnbufferedAsync<Neighbourhood>("""
            with touched as (select distinct unit_code from staging),
            series as (
                select unit_code, report_date, received, delivered, returned, lost, backlog, complaints_received, complaints_resolved, line
                from staging
                union all
                select d.unit_code, d.report_date, d.received, d.delivered, d.returned, d.lost, d.backlog, d.complaints_received, d.complaints_resolved, null
                from daily_report d join touched t using (unit_code)
                where d.carrier_id = @carrierId
                  and not exists (select 1 from staging s where s.unit_code = d.unit_code and s.report_date = d.report_date)
            ),
            ordered as (
                select *,
                       lag(report_date) over w as previous_date,
                       lag(backlog) over w as previous_backlog,
                       lag(received) over w as previous_received_any,
                       (coalesce(sum(complaints_received) over before, 0) - coalesce(sum(complaints_resolved) over before, 0))::bigint as open_before
                from series
                window w as (partition by unit_code order by report_date),
                       before as (partition by unit_code order by report_date rows between unbounded preceding and 1 preceding)
            )
            select line,
                   case when previous_date = report_date - 1 then previous_backlog end as opening,
                   received, delivered, returned, lost, backlog, complaints_received, complaints_resolved, open_before,
                   case when previous_date = report_date - 1 then previous_received_any end as previous_received
            from ordered where line is not null order by line
            """, new { carrierId }, transaction);

        await foreach (var r in rows.WithCancellation(cancellationToken))
        {
            var outflow = r.Delivered + (r.Returned ?? 0) + (r.Lost ?? 0);
            if (r.Opening is { } opening)
            {
                if (outflow > opening + r.Received)
                    issues.Add(Issue.Warning(r.Line, ReportColumns.Delivered, IssueCodes.OutflowExceedsStock,
                        ("outflow", N(outflow)), ("available", N(opening + r.Received))));
                if (r.Backlog is { } counted)
                {
                    var flow = opening + r.Received - outflow;
                    if (Math.Abs(flow - counted) > Math.Max(20, 0.1 * Math.Max(Math.Abs(flow), counted)))
                        issues.Add(Issue.Warning(r.Line, ReportColumns.Backlog, IssueCodes.BacklogMismatch, ("counted", N(counted)), ("flow", N(flow))));
                }
            }
            if (r.ComplaintsResolved is { } resolved && resolved > r.OpenBefore + (r.ComplaintsReceived ?? 0))
                issues.Add(Issue.Warning(r.Line, ReportColumns.ComplaintsResolved, IssueCodes.ResolvedExceedsOpen,
                    ("resolved", N(resolved)), ("open", N(r.OpenBefore + (r.ComplaintsReceived ?? 0)))));
            if (r.PreviousReceived is > 0 and var previous && r.Received > 10 * previous)
                issues.Add(Issue.Warning(r.Line, ReportColumns.Received, IssueCodes.VolumeJump, ("received", N(r.Received)), ("previous", N(previous))));
        }
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static async Task<Counts> WriteRowsAsync(NpgsqlConnection write, NpgsqlTransaction transaction, int carrierId, long uploadId, CancellationToken cancellationToken)
    {
        var same = $"(d.{Values.Replace(", ", ", d.", StringComparison.Ordinal)}) is not distinct from (s.{Values.Replace(", ", ", s.", StringComparison.Ordinal)})";
        var counts = await write.QuerySingleAsync<Counts>(new CommandDefinition($"""
            select count(*) filter (where d.carrier_id is null)::int as new,
                   count(*) filter (where d.carrier_id is not null and not {same})::int as corrected,
                   count(*) filter (where d.carrier_id is not null and {same})::int as unchanged
            from staging s
            left join daily_report d on d.carrier_id = @carrierId and d.unit_code = s.unit_code and d.report_date = s.report_date
            """, new { carrierId }, transaction, cancellationToken: cancellationToken));

        await write.ExecuteAsync(new CommandDefinition($"""
            insert into daily_report_history (carrier_id, unit_code, report_date, {Values}, upload_id, replaced_by)
            select d.carrier_id, d.unit_code, d.report_date, d.{Values.Replace(", ", ", d.", StringComparison.Ordinal)}, d.upload_id, @uploadId
            from daily_report d join staging s on d.unit_code = s.unit_code and d.report_date = s.report_date
            where d.carrier_id = @carrierId and not {same}
            """, new { carrierId, uploadId }, transaction, cancellationToken: cancellationToken));

        await write.ExecuteAsync(new CommandDefinition($"""
            insert into daily_report (carrier_id, unit_code, report_date, {Values}, upload_id, line)
            select @carrierId, unit_code, report_date, {Values}, @uploadId, line from staging
            on conflict (carrier_id, unit_code, report_date) do update
            set {string.Join(", ", Values.Split(", ").Select(v => $"{v} = excluded.{v}"))},
                upload_id = excluded.upload_id, line = excluded.line, updated_at = now()
            where (daily_report.{Values.Replace(", ", ", daily_report.", StringComparison.Ordinal)})
                  is distinct from (excluded.{Values.Replace(", ", ", excluded.", StringComparison.Ordinal)})
            """, new { carrierId, uploadId }, transaction, cancellationToken: cancellationToken));
        return counts;
    }

    private static async Task Finish(NpgsqlConnection connection, NpgsqlTransaction transaction, long uploadId, string status, long? duplicateOf,
        Staged? staged, IssueCollector? issues, Counts? counts, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition("delete from upload_issue where upload_id = @uploadId", new { uploadId }, transaction, cancellationToken: cancellationToken));
        if (issues is { Kept.Count: > 0 })
        {
            await using var importer = await connection.BeginBinaryImportAsync(
                "copy upload_issue (upload_id, seq, severity, line, column_name, code, args, column_header) from stdin (format binary)", cancellationToken);
            var seq = 0;
            foreach (var issue in issues.Kept)
            {
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(uploadId, NpgsqlDbType.Bigint, cancellationToken);
                await importer.WriteAsync(++seq, NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync(issue.Severity == IssueSeverity.Error ? "error" : "warning", NpgsqlDbType.Text, cancellationToken);
                if (issue.Line is { } line)
                    await importer.WriteAsync(line, NpgsqlDbType.Integer, cancellationToken);
                else
                    await importer.WriteNullAsync(cancellationToken);
                if (issue.Column is { } column)
                    await importer.WriteAsync(column, NpgsqlDbType.Text, cancellationToken);
                else
                    await importer.WriteNullAsync(cancellationToken);
                await importer.WriteAsync(issue.Code, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(JsonSerializer.Serialize(issue.Args), NpgsqlDbType.Jsonb, cancellationToken);
                if (issues.HeaderOf(issue.Column) is { } header)
                    await importer.WriteAsync(header, NpgsqlDbType.Text, cancellationToken);
                else
                    await importer.WriteNullAsync(cancellationToken);
            }
            await importer.CompleteAsync(cancellationToken);
        }
        await connection.ExecuteAsync(new CommandDefinition("""
            update upload set status = @status, duplicate_of = @duplicateOf, finished_at = now(), encoding = @Encoding, separator = @Separator,
                rows_total = @Rows, rows_new = @New, rows_corrected = @Corrected, rows_unchanged = @Unchanged,
                error_count = @errors, warning_count = @warnings
            where id = @uploadId
            """, new
        {
            uploadId, status, duplicateOf, staged?.Encoding, staged?.Separator, Rows = staged?.Rows, counts?.New, counts?.Corrected, counts?.Unchanged,
            errors = issues?.ErrorCount ?? 0, warnings = issues?.WarningCount ?? 0,
        }, transaction, cancellationToken: cancellationToken));
    }

    /// <summary>A stream that closes its reader, command and connection with it.</summary>
    private sealed class OwningStream(Stream inner, NpgsqlDataReader reader, NpgsqlCommand command) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await reader.DisposeAsync();
            await command.DisposeAsync();
            await base.DisposeAsync();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                reader.Dispose();
                command.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
