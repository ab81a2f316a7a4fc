using System.ComponentModel.DataAnnotations;

namespace PostalPeak.Jobs;

public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Whether this process executes jobs. Every instance may; Hangfire hands each job to one of them.</summary>
    public bool RunServer { get; set; } = true;

    [Range(1, 64)]
    public int WorkerCount { get; set; } = 4;

    /// <summary>Every schedule is read in this zone: the province's local time.</summary>
    [Required]
    public string TimeZone { get; set; } = "Asia/Ho_Chi_Minh";

    /// <summary>
    /// How often the server looks for delayed jobs that have come due (Hangfire's default, 15 s). A scheduled
    /// job (e.g. a notification retry) starts up to this much late; tests set 1 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(15);
}
