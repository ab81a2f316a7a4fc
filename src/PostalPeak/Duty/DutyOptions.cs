using System.ComponentModel.DataAnnotations;

namespace PostalPeak.Duty;

public sealed class DutyOptions
{
    public const string Section = "Duty";

    /// <summary>The largest roster file received; a season's roster of every unit and shift is far smaller.</summary>
    [Range(1024, 50L * 1024 * 1024)]
    public long MaxRosterBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>The most rows a roster file may hold (a 120-day season × 3 shifts × 50 units is 18,000).</summary>
    [Range(1, 100_000)]
    public int MaxRosterRows { get; set; } = 20_000;

    /// <summary>
    /// A day of the run-up or the holiday needs its roster by this hour (Asia/Ho_Chi_Minh) of the day before: the
    /// afternoon leaves time to find people before the day begins. Rule duty_roster_missing fires from then on.
    /// </summary>
    [Range(0, 23)]
    public int RosterDeadlineHour { get; set; } = 17;

    /// <summary>How many days ahead the reporting views list uncovered days as due, before their deadline has passed.</summary>
    [Range(0, 30)]
    public int RosterDueDays { get; set; } = 3;
}
