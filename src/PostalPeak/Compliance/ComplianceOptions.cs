using System.ComponentModel.DataAnnotations;

namespace PostalPeak.Compliance;

public sealed class ComplianceOptions
{
    public const string Section = "Compliance";

    /// <summary>A day's report is on time when it arrives by this hour (Asia/Ho_Chi_Minh) of the next day.</summary>
    [Range(0, 23)]
    public int DeadlineHour { get; set; } = 10;
}
