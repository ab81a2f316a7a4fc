using System.Diagnostics;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Jobs;

namespace PostalPeak.Tests.Jobs;

[Collection(JobServers.Name)]
public sealed class JobsTests
{
    [Fact]
    public async Task RecurringJobsAreScheduledInHoChiMinhTime()
    {
        await using var app = await TestApp.StartAsync();

        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        var jobs = connection.GetRecurringJobs();

        var backup = Assert.Single(jobs, j => j.Id == DatabaseBackupJob.Id);
        Assert.Equal("Asia/Ho_Chi_Minh", backup.TimeZoneId);
        Assert.Equal(DatabaseBackupJob.DefaultCron, backup.Cron);
    }

    [Fact]
    public async Task AJobEnqueuedOnHangfireRunsAndWritesARestorableBackup()
    {
        var directory = Path.Combine(Path.GetTempPath(), "postalpeak-backup-" + Guid.NewGuid().ToString("N")[..8]);
        await using var app = await TestApp.StartAsync(runJobs: true, new Dictionary<string, string?>
        {
            ["Storage:Backup:Enabled"] = "true",
            ["Storage:Backup:Directory"] = directory,
        });
        await app.AddCarrierAsync("ALPHA");
        try
        {
            var jobId = app.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<DatabaseBackupJob>(job => job.RunAsync(CancellationToken.None));

            var state = await WaitForFinalStateAsync(app, jobId);

            Assert.Equal("Succeeded", state);
            var result = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi().JobDetails(jobId).History.First().Data;
            Assert.True(Directory.Exists(directory), string.Join("; ", result.Select(kv => kv.Key + "=" + kv.Value)));
            var dump = Assert.Single(Directory.GetFiles(directory, "postalpeak-*.dump"));
            var list = await RunAsync("pg_restore", "--list", dump);
            Assert.Contains("TABLE public carrier", list, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task RunningTheBackupTwiceOnOneDayKeepsOneFile()
    {
        var directory = Path.Combine(Path.GetTempPath(), "postalpeak-backup-" + Guid.NewGuid().ToString("N")[..8]);
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Storage:Backup:Enabled"] = "true",
            ["Storage:Backup:Directory"] = directory,
        });
        try
        {
            var job = app.Services.GetRequiredService<DatabaseBackupJob>();
            var first = await job.RunAsync(CancellationToken.None);
            var second = await job.RunAsync(CancellationToken.None);

            Assert.Equal(first, second);
            Assert.Single(Directory.GetFiles(directory));
        }
        finally
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<string> WaitForFinalStateAsync(TestApp app, string jobId)
    {
        var monitor = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            var state = monitor.JobDetails(jobId)?.History.FirstOrDefault()?.StateName;
            if (state is "Succeeded" or "Failed" or "Deleted")
                return state;
            await Task.Delay(200);
        }
        return "timed out";
    }

    private static async Task<string> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}
