using System.Globalization;
using System.Text.RegularExpressions;
using PostalPeak.Ingestion;

namespace PostalPeak.Duty;

/// <summary>
/// A duty shift: a wall-clock range in Vietnam time starting on the roster's day. "Cả ngày" (blank means it too) is
/// 00:00–24:00; a named range such as "ca sáng 06:00–14:00" or a bare "06:00-14:00" is that range, and one that ends
/// at or before it starts crosses midnight ("ca đêm 22:00–06:00" ends at 06:00 the next day).
/// </summary>
public sealed partial record DutyShift(string Name, TimeOnly Start, int Minutes)
{
    public const int Day = 24 * 60;

    public static readonly DutyShift AllDay = new("", TimeOnly.MinValue, Day);

    public bool IsAllDay => Start == TimeOnly.MinValue && Minutes == Day && Name.Length == 0;

    public bool CrossesMidnight => Start.Hour * 60 + Start.Minute + Minutes > Day;

    /// <summary>"06:00–14:00", "22:00–06:00", "00:00–24:00".</summary>
    public string Range
    {
        get
        {
            var end = (Start.Hour * 60 + Start.Minute + Minutes) % Day;
            var endText = end == 0 && Start == TimeOnly.MinValue ? "24:00" : $"{end / 60:00}:{end % 60:00}";
            return Start.ToString("HH:mm", CultureInfo.InvariantCulture) + "–" + endText;
        }
    }

    /// <summary>How the shift is written back, in a CSV and on a page: "cả ngày", "ca sáng 06:00–14:00", "06:00–14:00".</summary>
    public string Text => IsAllDay ? "cả ngày" : Name.Length == 0 ? Range : Name + " " + Range;

    /// <summary>The shift's start and end as instants, for a roster day, in the given zone.</summary>
    public (DateTimeOffset Start, DateTimeOffset End) On(DateOnly date, TimeZoneInfo zone)
    {
        var start = date.ToDateTime(Start);
        var offset = zone.GetUtcOffset(start);
        var from = new DateTimeOffset(start, offset);
        var end = start.AddMinutes(Minutes);
        return (from, new DateTimeOffset(end, zone.GetUtcOffset(end)));
    }

    public static bool TryParse(string? text, out DutyShift shift)
    {
        shift = AllDay;
        var s = UnicodeText.Normalize((text ?? "").Trim());
        if (s.Length == 0)
            return true;
        if (s.Length > 120)
            return false;
        var folded = ReportColumns.NormalizeHeader(s);
        if (folded is "ca_ngay" or "ca_ngay_24/24" or "24/24" or "all_day" or "ngay")
            return true;
        var match = RangePattern().Match(s);
        if (!match.Success)
            return false;
        if (!TryTime(match.Groups["from"].Value, out var from) || !TryTime(match.Groups["to"].Value, out var to) || from == Day)
            return false;
        var name = match.Groups["name"].Value.Trim().TrimEnd('(', ':', ',').Trim();
        if (name.Length > 100)
            return false;
        var minutes = to - from;
        if (minutes <= 0)
            minutes += Day; // ends the next day; the same time twice is a 24-hour shift ("08:00–08:00")
        shift = new DutyShift(name, new TimeOnly(from / 60, from % 60), minutes);
        if (shift.Start == TimeOnly.MinValue && minutes == Day && name.Length == 0)
            shift = AllDay;
        return true;
    }

    /// <summary>Minutes since midnight of "06:00", "6:00", "6h", "06h30", "24:00".</summary>
    private static bool TryTime(string text, out int minutes)
    {
        minutes = 0;
        var match = TimePattern().Match(text);
        if (!match.Success)
            return false;
        var hours = int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture);
        var mins = match.Groups["m"].Success ? int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture) : 0;
        if (hours > 24 || mins > 59 || (hours == 24 && mins > 0))
            return false;
        minutes = hours * 60 + mins;
        return true;
    }

    [GeneratedRegex(@"^(?<name>.*?)\s*\(?\s*(?<from>\d{1,2}\s*[:hH.]\s*\d{0,2})\s*(?:[-–—]|đến|den|to)\s*(?<to>\d{1,2}\s*[:hH.]\s*\d{0,2})\s*\)?$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, 200)]
    private static partial Regex RangePattern();

    [GeneratedRegex(@"^(?<h>\d{1,2})\s*[:hH.]\s*(?<m>\d{2})?$", RegexOptions.CultureInvariant, 200)]
    private static partial Regex TimePattern();
}
