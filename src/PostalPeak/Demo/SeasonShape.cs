namespace PostalPeak.Demo;

/// <summary>
/// How intake and staffing move through a Tết season, as multiples of an ordinary day, by Tết offset.
/// Shops ship gifts and goods home for weeks before Tết, so intake climbs to more than twice normal
/// about ten days out; carriers take on temporary staff, but not enough, so backlog builds. Staff go home
/// in the last days of the year; over the holiday almost nothing moves, Mùng 1 least of all; afterwards
/// staff return first and intake follows, which is when the stock is cleared.
/// </summary>
public static class SeasonShape
{
    public const int FirstOffset = -30;
    public const int LastOffset = 15;
    public const int Days = LastOffset - FirstOffset + 1;

    private static readonly double[] RunUpIntake = [1.85, 1.6, 1.35, 1.1, 0.85, 0.6, 0.35];
    private static readonly double[] HolidayIntake = [0.05, 0.08, 0.12, 0.16, 0.2];
    private static readonly double[] RecoveryIntake = [0.45, 0.6, 0.72, 0.82, 0.9, 0.97];

    private static readonly double[] RunUpStaff = [1.4, 1.3, 1.2, 1.0, 0.8, 0.6, 0.45];
    private static readonly double[] HolidayStaff = [0.15, 0.2, 0.3, 0.4, 0.55];

    public static bool IsHoliday(int offset) => offset is >= 0 and <= 4;

    /// <summary>Intake relative to an ordinary day, before weekday and random variation.</summary>
    public static double Intake(int offset) => offset switch
    {
        <= -10 => 1.15 + (2.3 - 1.15) * (offset + 30) / 20.0, // peak: rising to 2.3 at T-10
        -9 => 2.2,
        -8 => 2.05,
        <= -1 => RunUpIntake[offset + 7],
        <= 4 => HolidayIntake[offset],
        <= 10 => RecoveryIntake[offset - 5],
        _ => 1.0,
    };

    /// <summary>Staff on duty relative to the ordinary roster.</summary>
    public static double Staffing(int offset) => offset switch
    {
        <= -20 => 1.1 + 0.4 * (offset + 30) / 10.0, // temporary hires arrive during the first peak week
        <= -8 => 1.5,
        <= -1 => RunUpStaff[offset + 7],
        <= 4 => HolidayStaff[offset],
        5 => 0.9,
        _ => 1.05,
    };

    /// <summary>Fewer parcels are sent at weekends, except over the holiday when every day is a day off.</summary>
    public static double Weekday(DateOnly date, int offset) => IsHoliday(offset) ? 1.0 : date.DayOfWeek switch
    {
        DayOfWeek.Sunday => 0.85,
        DayOfWeek.Saturday => 0.95,
        _ => 1.0,
    };
}
