using Microsoft.Extensions.Options;
using Npgsql;
using PostalPeak.Jobs;

namespace PostalPeak.Calendar;

/// <summary>
/// Makes sure this year's and next year's seasons exist, so that a server running across New Year has the
/// coming season without a restart. Creates only what is missing: an administrator's edits stay, and a second
/// run the same day does nothing.
/// </summary>
public sealed class ComingSeasonJob(NpgsqlDataSource db, TimeProvider clock, IOptions<JobsOptions> jobs, ILogger<ComingSeasonJob> logger)
{
    public const string Id = "calendar.seasons";

    /// <summary>Just after local midnight: on 1 January the new next year is there from the first minutes.</summary>
    public const string Cron = "5 0 * * *";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        // The local year, not the UTC one: in Hà Nội the new year begins at 17:00 UTC on 31 December.
        var year = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), jobs.Value.Zone()).Year;
        var created = await Seasons.EnsureAsync(db, year, year + 1, cancellationToken);
        if (created > 0)
            logger.LogInformation("Created {Count} season(s) up to {Year}", created, year + 1);
        return created;
    }
}
