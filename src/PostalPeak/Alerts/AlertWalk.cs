namespace PostalPeak.Alerts;

/// <summary>One evaluated day of one series: its value, and the threshold in force (null when the rule is muted).</summary>
public readonly record struct AlertDay(DateOnly Date, double? Value, double? Threshold);

/// <summary>One alert instance as the data make it: pending from <see cref="StartedOn"/>, firing from
/// <see cref="FiringOn"/> (null if it never fired), resolved on <see cref="ResolvedOn"/> (null while open).</summary>
public sealed record AlertEpisode(DateOnly StartedOn, DateOnly? FiringOn, DateOnly LastHeldOn, DateOnly? ResolvedOn, double? Value, double? Threshold)
{
    public string State => ResolvedOn is not null ? "resolved" : FiringOn is not null ? "firing" : "pending";
}

/// <summary>
/// The alert life cycle over the days of the data, not the wall clock (design section 6, after Prometheus):
/// an episode is pending from the first day the condition holds, fires once it has held on <c>for</c>
/// evaluated days in a row, and resolves on the first day it has not held for more than
/// <c>keep_firing_for</c> days in a row; a pending episode that stops holding ends without firing.
/// Days with an unknown value and muted days change nothing: a gap is not a good day, and a muted phase
/// neither raises nor resolves.
/// </summary>
public static class AlertWalk
{
    public static bool Holds(string comparison, double value, double threshold) => comparison switch
    {
        ">" => value > threshold,
        ">=" => value >= threshold,
        "<" => value < threshold,
        "<=" => value <= threshold,
        _ => throw new ArgumentOutOfRangeException(nameof(comparison), comparison, "Unknown comparison."),
    };

    public static List<AlertEpisode> Episodes(IEnumerable<AlertDay> days, string comparison, int forDays, int keepFiringForDays)
    {
        var episodes = new List<AlertEpisode>();
        AlertEpisode? open = null;
        var held = 0;
        var notHeld = 0;
        foreach (var day in days)
        {
            if (day.Value is not { } value || day.Threshold is not { } threshold)
                continue;
            if (Holds(comparison, value, threshold))
            {
                if (open is null)
                {
                    open = new AlertEpisode(day.Date, null, day.Date, null, value, threshold);
                    held = 0;
                }
                held++;
                notHeld = 0;
                open = open with
                {
                    LastHeldOn = day.Date, Value = value, Threshold = threshold,
                    FiringOn = open.FiringOn ?? (held >= forDays ? day.Date : null),
                };
                continue;
            }
            if (open is null)
                continue;
            notHeld++;
            if (open.FiringOn is null || notHeld > keepFiringForDays)
            {
                episodes.Add(open with { ResolvedOn = day.Date });
                open = null;
                notHeld = 0;
            }
        }
        if (open is not null)
            episodes.Add(open);
        return episodes;
    }

    /// <summary>
    /// Ends the last episode on the day after the series' last day when the carrier has reported for more than
    /// <paramref name="afterDays"/> days since without this unit. Judged on the data (the carrier's latest
    /// report), not the clock, so a season replayed months later keeps its open alerts open.
    /// </summary>
    /// <returns>Whether the last episode was ended this way.</returns>
    public static bool EndIfGone(List<AlertEpisode> episodes, DateOnly? seriesLastDay, DateOnly? carrierLastReport, int afterDays)
    {
        if (episodes.Count == 0 || episodes[^1].ResolvedOn is not null || seriesLastDay is not { } last || carrierLastReport is not { } carrierLast
            || carrierLast.DayNumber - last.DayNumber <= afterDays)
            return false;
        episodes[^1] = episodes[^1] with { ResolvedOn = last.AddDays(1) };
        return true;
    }
}
