using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace PostalPeak.Ingestion;

/// <summary>
/// The upload budget of a carrier: <see cref="IngestionOptions.UploadsPerMinute"/> across all its tokens, its
/// managers and department staff sending on its behalf, and across every app instance on the database. Minting
/// more tokens buys no more uploads.
/// </summary>
public sealed class UploadRateLimit(NpgsqlDataSource db, IOptions<IngestionOptions> options)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>
    /// One atomic upsert: the row lock orders simultaneous uploads of a carrier, so exactly the first
    /// UploadsPerMinute of a window get through. A window begins with the first upload after the last one ended
    /// (as ASP.NET's fixed-window limiter did), timed by the database's clock, which all instances share.
    /// </summary>
    private const string TakeSql = """
        insert into upload_rate as r (carrier_id, window_start, uploads)
        select id, now(), 1 from carrier where code = @carrierCode
        on conflict (carrier_id) do update set
            window_start = case when r.window_start > excluded.window_start - @window then r.window_start else excluded.window_start end,
            uploads = case when r.window_start > excluded.window_start - @window then r.uploads + 1 else 1 end
        returning uploads, extract(epoch from (window_start + @window - now()))::float8 as seconds_left
        """;

    /// <summary>Counts one upload of the carrier; null when it may go on, else how long until its window ends.</summary>
    public async Task<TimeSpan?> TakeAsync(string carrierCode, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var taken = await connection.QuerySingleOrDefaultAsync<(int Uploads, double SecondsLeft)?>(new CommandDefinition(TakeSql,
            new { carrierCode, window = Window }, cancellationToken: cancellationToken));
        // An unknown carrier is counted nowhere: the upload itself answers that it does not exist.
        if (taken is not { } count || count.Uploads <= options.Value.UploadsPerMinute)
            return null;
        return TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(count.SecondsLeft)));
    }
}
