using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using PostalPeak.Storage;

namespace PostalPeak.Jobs;

/// <summary>
/// Nightly pg_dump of PostalPeak's database (custom format, restorable with pg_restore), keeping the newest
/// <c>Storage:Backup:Keep</c> files. One file per local day: running the job twice replaces that day's dump.
/// </summary>
public sealed class DatabaseBackupJob(DatabaseServer database, IConfiguration configuration, IOptions<JobsOptions> jobs,
    TimeProvider clock, ILogger<DatabaseBackupJob> logger)
{
    public const string Id = "storage.backup";
    public const string DefaultCron = "30 2 * * *";

    public async Task<string?> RunAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("Storage:Backup:Enabled", database.Embedded is not null))
            return null;
        var directory = configuration["Storage:Backup:Directory"]
            ?? Path.Combine(database.Embedded?.Root ?? Path.Combine(AppContext.BaseDirectory, "data"), "backups");
        var keep = Math.Max(1, configuration.GetValue("Storage:Backup:Keep", 14));
        Directory.CreateDirectory(directory);

        var today = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), jobs.Value.Zone()).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var target = Path.Combine(directory, $"postalpeak-{today}.dump");
        var partial = target + ".partial";
        var connection = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var pgDump = database.Embedded is { } embedded ? Path.Combine(embedded.Binaries.Directory, "pg_dump") : "pg_dump";

        var startInfo = new System.Diagnostics.ProcessStartInfo(pgDump)
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--format=custom", "--no-owner", "--file", partial, "--host", connection.Host!,
                     "--port", connection.Port.ToString(CultureInfo.InvariantCulture), "--username", connection.Username!, connection.Database! })
            startInfo.ArgumentList.Add(argument);
        startInfo.Environment["PGPASSWORD"] = connection.Password ?? "";
        using var process = System.Diagnostics.Process.Start(startInfo)!;
        var error = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            File.Delete(partial);
            // Thrown so that Hangfire retries and shows the failure on its dashboard.
            throw new InvalidOperationException($"pg_dump failed with exit code {process.ExitCode}: {error.Trim()}");
        }
        File.Move(partial, target, overwrite: true);

        foreach (var old in new DirectoryInfo(directory).GetFiles("postalpeak-*.dump").OrderByDescending(f => f.Name).Skip(keep))
            old.Delete();
        logger.LogInformation("Database backed up to {File} ({Bytes} bytes)", target, new FileInfo(target).Length);
        return target;
    }
}
