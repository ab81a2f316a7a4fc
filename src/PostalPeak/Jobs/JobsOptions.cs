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
}
