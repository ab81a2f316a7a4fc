namespace PostalPeak.Shell;

public static class TimeExtensions
{
    /// <summary>A UTC instant from the database as the wall-clock time of a zone, for display.</summary>
    public static DateTime ToLocalTimeIn(this DateTime utc, string zoneId) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), TimeZoneInfo.FindSystemTimeZoneById(zoneId));

    /// <summary>Today's date on the wall calendar of a zone: report days and deadlines are Vietnamese days, not UTC ones.</summary>
    public static DateOnly TodayIn(this TimeProvider clock, string zoneId) =>
        DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime.ToLocalTimeIn(zoneId));

    /// <summary>
    /// The UTC instant a person meant. A time that came with an offset or Z (JSON reads it as Local or Utc) keeps
    /// it; one without an offset is a wall-clock time in <paramref name="zoneId"/>, never in the server's own zone,
    /// which says nothing about where the person is. Null for a wall-clock time the zone skips (a DST gap).
    /// </summary>
    public static DateTime? ToUtcFrom(this DateTime time, string zoneId)
    {
        if (time.Kind != DateTimeKind.Unspecified)
            return time.ToUniversalTime();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        return zone.IsInvalidTime(time) ? null : TimeZoneInfo.ConvertTimeToUtc(time, zone);
    }
}
