using Hangfire;

namespace PostalPeak.Jobs;

/// <summary>
/// The one place where recurring jobs are declared: each feature adds its line to <see cref="Register"/>.
/// Cron expressions are read in <see cref="JobsOptions.TimeZone"/> (Asia/Ho_Chi_Minh), never in the server's zone.
/// </summary>
public static class RecurringJobs
{
    public const string RosterDeadlineJobId = "alerts.evaluate-roster-deadline";

    public static void Register(IRecurringJobManager jobs, JobsOptions options, IConfiguration configuration)
    {
        var local = new RecurringJobOptions { TimeZone = options.Zone() };
        jobs.AddOrUpdate<DatabaseBackupJob>(DatabaseBackupJob.Id, job => job.RunAsync(CancellationToken.None),
            configuration["Storage:Backup:Cron"] ?? DatabaseBackupJob.DefaultCron, local);
        jobs.AddOrUpdate<Ingestion.ResumeUploadsJob>(Ingestion.ResumeUploadsJob.Id, job => job.RunAsync(CancellationToken.None),
            Ingestion.ResumeUploadsJob.Cron, local);
        // A server that starts picks up at once what a crash left behind, not at the next period.
        if (options.RunServer)
            jobs.Trigger(Ingestion.ResumeUploadsJob.Id);
        jobs.AddOrUpdate<Calendar.ComingSeasonJob>(Calendar.ComingSeasonJob.Id, job => job.RunAsync(CancellationToken.None),
            Calendar.ComingSeasonJob.Cron, local);
        // Missing reports become known at the deadline hour; the same run catches anything a failed job left behind.
        var deadlineHour = configuration.GetValue("Compliance:DeadlineHour", 10);
        jobs.AddOrUpdate<Alerts.AlertEvaluator>("alerts.evaluate", job => job.EvaluateAllAsync(CancellationToken.None),
            configuration["Alerts:EvaluateCron"] ?? $"5 {deadlineHour} * * *", local);
        // A missing duty roster becomes known at its own hour, the afternoon before the day: the same evaluation, run again then.
        jobs.AddOrUpdate<Alerts.AlertEvaluator>(RosterDeadlineJobId, job => job.EvaluateAllAsync(CancellationToken.None),
            $"5 {configuration.GetValue("Duty:RosterDeadlineHour", 17)} * * *", local);
        jobs.AddOrUpdate<Alerts.AlertReminderJob>(Alerts.AlertReminderJob.Id, job => job.RunAsync(CancellationToken.None), Alerts.AlertReminderJob.Cron, local);
        jobs.AddOrUpdate<Incidents.IncidentReminderJob>(Incidents.IncidentReminderJob.Id, job => job.RunAsync(CancellationToken.None),
            Incidents.IncidentReminderJob.Cron, local);
        jobs.AddOrUpdate<Alerts.OutboxSweepJob>(Alerts.OutboxSweepJob.Id, job => job.RunAsync(CancellationToken.None),
            configuration["Notifications:SweepCron"] ?? Alerts.OutboxSweepJob.DefaultCron, local);
        jobs.AddOrUpdate<Alerts.DigestJob>(Alerts.DigestJob.Id, job => job.RunAsync(CancellationToken.None),
            $"0 {configuration.GetValue("Notifications:DigestHour", Alerts.DigestJob.DefaultHour)} * * *", local);
        if (string.IsNullOrWhiteSpace(configuration["Ingestion:DropFolder:Inbox"]))
            jobs.RemoveIfExists(Ingestion.DropFolderJob.Id);
        else
            jobs.AddOrUpdate<Ingestion.DropFolderJob>(Ingestion.DropFolderJob.Id, job => job.RunAsync(CancellationToken.None),
                configuration["Ingestion:DropFolder:Cron"] ?? "*/5 * * * *", local);
    }

    public static TimeZoneInfo Zone(this JobsOptions options) => TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone);
}
