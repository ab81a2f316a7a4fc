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
}
