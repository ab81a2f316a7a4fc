using System.ComponentModel.DataAnnotations;

namespace PostalPeak.Alerts;

public sealed class AlertsOptions
{
    public const string Section = "Alerts";

    /// <summary>
    /// Notifications go out for alerts that fired or resolved on a report day at most this many days ago.
    /// Older episodes (a past season replayed, an archive loaded) are recorded with their history but
    /// send nothing: nobody can act on them any more.
    /// </summary>
    [Range(0, 366)]
    public int NotifyWithinDays { get; set; } = 3;

    /// <summary>
    /// Days after a carrier's latest report count as missing only when they are this recent. Gaps between
    /// reports always count. Without this, every file of a back-fill (a season loaded day by day, weeks
    /// late) would first see all the later days as missing.
    /// </summary>
    [Range(1, 366)]
    public int TrailingMissingDays { get; set; } = 7;

    /// <summary>
    /// A unit that has been absent from its carrier's reports for more than this many days, while the carrier
    /// went on reporting, has left the carrier's network (or the map: the districts of before July 2025): its open
    /// alert ends on the day after its last report instead of staying open for ever.
    /// </summary>
    [Range(1, 366)]
    public int UnitGoneAfterDays { get; set; } = 7;
}
