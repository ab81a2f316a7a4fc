using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Microsoft.Extensions.Localization;
using PostalPeak.Audit;
using PostalPeak.Shell;

namespace PostalPeak.Ingestion;

public sealed record Upload(
    long Id, string CarrierCode, string Channel, string OriginalName, long SizeBytes, string Actor, DateTime ReceivedAt,
    string Status, long? DuplicateOf, DateTime? FinishedAt, string? Encoding, string? Separator, int? RowsTotal, int? RowsNew,
    int? RowsCorrected, int? RowsUnchanged, int ErrorCount, int WarningCount, string Language, DateTime? FiguresUpdatedAt)
{
    public bool IsFinal => Status is "accepted" or "rejected" or "duplicate" or "failed";
}

/// <param name="ColumnHeader">What the file called <paramref name="ColumnName"/>, when it is a canonical column the file had.</param>
public sealed record StoredIssue(int Seq, string Severity, int? Line, string? ColumnName, string Code, string Args, string? ColumnHeader)
{
    public string Message(IStringLocalizer<Text> text) =>
        IssueMessages.Render(text, Code, System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(Args) ?? [], ColumnName, ColumnHeader);

    /// <summary>The message in a stored language ("vi", "en"), for readers outside a request.</summary>
    public string Message(string language) => Message(Translations.In(language));

    /// <summary>The column as the file named it, with PostalPeak's name beside (<see cref="IssueMessages.ColumnLabel"/>).</summary>
    public string Column(IStringLocalizer<Text> text) => IssueMessages.ColumnLabel(text, ColumnName, ColumnHeader);

    public string SeverityName(IStringLocalizer<Text> text) => text["Severity." + Severity];
}

/// <summary>
/// Receives files: the bytes are stored, with their SHA-256, before anything reads them, so nothing a
/// carrier sends is lost whatever happens next. Also answers what became of an upload.
/// </summary>
public sealed class UploadStore(NpgsqlDataSource db, IOptions<IngestionOptions> options)
{
    public const string Columns = """
        u.id, c.code as carrier_code, u.channel, u.original_name, u.size_bytes, u.actor, u.received_at, u.status, u.duplicate_of,
        u.finished_at, u.encoding, u.separator, u.rows_total, u.rows_new, u.rows_corrected, u.rows_unchanged,
        u.error_count, u.warning_count, u.language, u.figures_updated_at
        """;

    public long MaxBytes => options.Value.MaxUploadBytes;

    /// <summary>Stores the content (read once, through a temporary file: memory stays flat) and returns the new upload.</summary>
    public async Task<Upload> ReceiveAsync(Stream content, string originalName, string channel, string carrierCode, Actor actor,
        string language, CancellationToken cancellationToken)
    {
        var temporary = Path.Combine(Path.GetTempPath(), "postalpeak-upload-" + Guid.NewGuid().ToString("N"));
        try
        {
            byte[] hash;
            long size;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose))
            {
                using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
                {
                    var buffer = new byte[81920];
                    size = 0;
                    int read;
                    while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                    {
                        size += read;
                        if (size > MaxBytes)
                            throw TooLarge(size);
                        sha.AppendData(buffer, 0, read);
                        await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    }
                    hash = sha.GetHashAndReset();
                }
                file.Position = 0;
                return await InsertAsync(file, size, hash, originalName, channel, carrierCode, actor, language, cancellationToken);
            }
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>A file over the limit; <paramref name="size"/> is what arrived of it so far, 0 when unknown.</summary>
    public InputException TooLarge(long size) => new(IssueCodes.TooLarge, string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"The file is larger than the limit of {MaxBytes:N0} bytes{(size > 0 ? $" (at least {size:N0} bytes arrived)" : "")}. Split it into several files."),
        StatusCodes.Status413PayloadTooLarge)
    {
        Args = [new ByteSize(MaxBytes), new ByteSize(size)],
        Key = size > 0 ? "Error.too_large" : "Error.too_large_limit",
    };

    private async Task<Upload> InsertAsync(Stream file, long size, byte[] hash, string originalName, string channel, string carrierCode,
        Actor actor, string language, CancellationToken cancellationToken)
    {
        var name = string.IsNullOrWhiteSpace(originalName) ? "upload.csv" : Path.GetFileName(originalName.Trim());
        if (name.Length > 255)
            name = name[..255];
        carrierCode = Carriers.CarrierCodes.Normalize(carrierCode);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var carrierId = await connection.QuerySingleOrDefaultAsync<int?>("select id from carrier where code = @code",
            new { code = carrierCode }, transaction) ?? throw InputException.NotFound("carrier", carrierCode);
        if (channel is "web" or "api")
            await RefuseWhenQueueFullAsync(connection, transaction, carrierId, carrierCode);

        await using var insert = new NpgsqlCommand("""
            insert into upload (carrier_id, channel, original_name, size_bytes, sha256, content, actor, user_id, token_id, language)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            returning id
            """, connection, transaction);
        insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = carrierId });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = channel });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = size });
        insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = hash });
        insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bytea, Value = file, Size = (int)Math.Min(size, int.MaxValue) });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = actor.Name });
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)actor.UserId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)actor.TokenId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = language == "en" ? "en" : "vi" });
        var id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        await AuditLog.WriteAsync(connection, transaction, actor, "upload.receive", "upload", id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            carrierId, new { name, size, channel, sha256 = Convert.ToHexString(hash) });
        await transaction.CommitAsync(cancellationToken);
        return (await FindAsync(id))!;
    }

    /// <summary>
    /// One carrier's backlog must not starve the others in the shared queue: past the cap its uploads are refused
    /// (nothing is stored) until its waiting files are done. Counted without a lock, so two uploads arriving at the
    /// same instant may pass it by one; the cap is a bound on waiting, not an exact quota.
    /// </summary>
    private async Task RefuseWhenQueueFullAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int carrierId, string carrierCode)
    {
        var cap = options.Value.MaxQueuedPerCarrier;
        var waiting = await connection.ExecuteScalarAsync<int>("""
            select count(*)::int from (
                select 1 from upload where carrier_id = @carrierId and status in ('queued', 'processing') limit @cap
            ) w
            """, new { carrierId, cap }, transaction);
        if (waiting >= cap)
            throw new InputException("queue_full", $"Carrier {carrierCode} has {waiting} files waiting to be processed. This file was NOT received: "
                + "wait until the waiting files are done, then send it again.", StatusCodes.Status429TooManyRequests)
            { Args = [carrierCode, waiting], RetryAfterSeconds = 30 };
    }

    /// <summary>Puts a failed upload back in the queue, as new: its attempts start again. False when it has not failed.</summary>
    public async Task<bool> RetryAsync(long id, Actor actor, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var carrierId = await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition("""
            update upload set status = 'queued', attempts = 0, started_at = null, finished_at = null, error_count = 0, warning_count = 0
            where id = @id and status = 'failed'
            returning carrier_id
            """, new { id }, transaction, cancellationToken: cancellationToken));
        if (carrierId is null)
            return false;
        await connection.ExecuteAsync(new CommandDefinition("delete from upload_issue where upload_id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        await AuditLog.WriteAsync(connection, transaction, actor, "upload.retry", "upload", id.ToString(System.Globalization.CultureInfo.InvariantCulture), carrierId, new { });
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// The upload if <paramref name="reader"/> may see it, else null: another carrier's upload is missing, exactly as
    /// one that does not exist, so that ids tell a carrier nothing about the others.
    /// </summary>
    public async Task<Upload?> FindForAsync(long id, Accounts.CarrierScope reader) =>
        await FindAsync(id) is { } upload && reader.MayActFor(upload.CarrierCode) ? upload : null;

    public async Task<Upload?> FindAsync(long id)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.QuerySingleOrDefaultAsync<Upload>(
            $"select {Columns} from upload u join carrier c on c.id = u.carrier_id where u.id = @id", new { id });
    }

    public async Task<IReadOnlyList<Upload>> ListAsync(string? carrierCode, int limit)
    {
        await using var connection = await db.OpenConnectionAsync();
        return (await connection.QueryAsync<Upload>($"""
            select {Columns} from upload u join carrier c on c.id = u.carrier_id
            where @carrierCode::text is null or c.code = @carrierCode
            order by u.id desc limit @limit
            """, new { carrierCode, limit })).AsList();
    }

    public async Task<IReadOnlyList<StoredIssue>> IssuesAsync(long id)
    {
        await using var connection = await db.OpenConnectionAsync();
        return (await connection.QueryAsync<StoredIssue>(
            "select seq, severity, line, column_name, code, args::text as args, column_header from upload_issue where upload_id = @id order by seq", new { id })).AsList();
    }

    /// <summary>The original bytes, streamed from the database.</summary>
    public async Task WriteContentAsync(long id, Stream destination, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("select content from upload where id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
        {
            await using var content = await reader.GetStreamAsync(0, cancellationToken);
            await content.CopyToAsync(destination, cancellationToken);
        }
    }
}
