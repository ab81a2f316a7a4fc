namespace PostalPeak.Shell;

public static class TimeExtensions
{
    /// <summary>A UTC instant from the database as the wall-clock time of a zone, for display.</summary>
    public static DateTime ToLocalTimeIn(this DateTime utc, string zoneId) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), TimeZoneInfo.FindSystemTimeZoneById(zoneId));
}
