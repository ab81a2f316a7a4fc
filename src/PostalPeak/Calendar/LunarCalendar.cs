namespace PostalPeak.Calendar;

/// <summary>A day of the Vietnamese lunar calendar. <see cref="IsLeapMonth"/> marks the repeated (nhuận) month.</summary>
public readonly record struct LunarDate(int Day, int Month, int Year, bool IsLeapMonth);

/// <summary>
/// The Vietnamese lunar calendar, computed astronomically for the UTC+7 meridian (Hồ Ngọc Đức's method: mean
/// new moons with periodic corrections, and the sun's longitude to place month 11 and the leap month).
/// Not System.Globalization.ChineseLunisolarCalendar: that one is reckoned for UTC+8, and a new moon falling
/// between 16:00 and 17:00 UTC puts Tết on different days, as in 1985 (21 January here, 20 February in China)
/// and 2030 (2 February here, 3 February there). Valid for 1900–2100.
/// </summary>
public static class LunarCalendar
{
    public const double TimeZone = 7.0;
    public const int FirstYear = 1900;
    public const int LastYear = 2100;

    /// <summary>Tết Nguyên Đán: the first day of the first lunar month of <paramref name="year"/>.</summary>
    public static DateOnly Tet(int year) => ToSolar(new LunarDate(1, 1, year, false));

    public static LunarDate ToLunar(DateOnly date)
    {
        var dayNumber = JulianDay(date);
        // The mean lunation gives k to within one: step to the new moon that starts this day's month.
        var k = (int)Math.Floor((dayNumber - 2415021.076998695) / 29.530588853);
        while (NewMoonDay(k + 1) <= dayNumber)
            k++;
        while (NewMoonDay(k) > dayNumber)
            k--;
        var monthStart = NewMoonDay(k);
        var a11 = LunarMonth11(date.Year);
        var b11 = a11;
        int lunarYear;
        if (a11 >= monthStart)
        {
            lunarYear = date.Year;
            a11 = LunarMonth11(date.Year - 1);
        }
        else
        {
            lunarYear = date.Year + 1;
            b11 = LunarMonth11(date.Year + 1);
        }
        var lunarDay = dayNumber - monthStart + 1;
        var diff = (monthStart - a11) / 29;
        var leap = false;
        var lunarMonth = diff + 11;
        if (b11 - a11 > 365)
        {
            var leapMonthDiff = LeapMonthOffset(a11);
            if (diff >= leapMonthDiff)
            {
                lunarMonth = diff + 10;
                leap = diff == leapMonthDiff;
            }
        }
        if (lunarMonth > 12)
            lunarMonth -= 12;
        if (lunarMonth >= 11 && diff < 4)
            lunarYear -= 1;
        return new LunarDate(lunarDay, lunarMonth, lunarYear, leap);
    }

    /// <exception cref="ArgumentException">The lunar year has no such leap month.</exception>
    public static DateOnly ToSolar(LunarDate lunar)
    {
        int a11, b11;
        if (lunar.Month < 11)
        {
            a11 = LunarMonth11(lunar.Year - 1);
            b11 = LunarMonth11(lunar.Year);
        }
        else
        {
            a11 = LunarMonth11(lunar.Year);
            b11 = LunarMonth11(lunar.Year + 1);
        }
        var k = (int)Math.Floor(0.5 + (a11 - 2415021.076998695) / 29.530588853);
        var offset = lunar.Month - 11;
        if (offset < 0)
            offset += 12;
        if (b11 - a11 > 365)
        {
            var leapOffset = LeapMonthOffset(a11);
            var leapMonth = leapOffset - 2;
            if (leapMonth < 0)
                leapMonth += 12;
            if (lunar.IsLeapMonth && lunar.Month != leapMonth)
                throw new ArgumentException($"Lunar year {lunar.Year} has no leap month {lunar.Month}.", nameof(lunar));
            if (lunar.IsLeapMonth || offset >= leapOffset)
                offset += 1;
        }
        else if (lunar.IsLeapMonth)
        {
            throw new ArgumentException($"Lunar year {lunar.Year} has no leap month.", nameof(lunar));
        }
        return FromJulianDay(NewMoonDay(k + offset) + lunar.Day - 1);
    }

    /// <summary>The leap month of a lunar year, or null when it has twelve months.</summary>
    public static int? LeapMonth(int lunarYear)
    {
        var a11 = LunarMonth11(lunarYear - 1);
        var b11 = LunarMonth11(lunarYear);
        if (b11 - a11 <= 365)
            return null;
        var leapMonth = LeapMonthOffset(a11) - 2;
        return leapMonth < 0 ? leapMonth + 12 : leapMonth;
    }

    internal static int JulianDay(DateOnly date) => date.DayNumber + 1721426;

    internal static DateOnly FromJulianDay(int julianDay) => DateOnly.FromDayNumber(julianDay - 1721426);

    /// <summary>Julian day of the k-th new moon after 1 January 1900 (Meeus' formula, in UT).</summary>
    private static double NewMoon(int k)
    {
        var t = k / 1236.85;
        var t2 = t * t;
        var t3 = t2 * t;
        const double dr = Math.PI / 180;
        var jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
        jd1 += 0.00033 * Math.Sin((166.56 + 132.87 * t - 0.009173 * t2) * dr);
        var m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;
        var mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;
        var f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;
        var c1 = (0.1734 - 0.000393 * t) * Math.Sin(m * dr) + 0.0021 * Math.Sin(2 * dr * m)
            - 0.4068 * Math.Sin(mpr * dr) + 0.0161 * Math.Sin(dr * 2 * mpr) - 0.0004 * Math.Sin(dr * 3 * mpr)
            + 0.0104 * Math.Sin(dr * 2 * f) - 0.0051 * Math.Sin(dr * (m + mpr)) - 0.0074 * Math.Sin(dr * (m - mpr))
            + 0.0004 * Math.Sin(dr * (2 * f + m)) - 0.0004 * Math.Sin(dr * (2 * f - m)) - 0.0006 * Math.Sin(dr * (2 * f + mpr))
            + 0.0010 * Math.Sin(dr * (2 * f - mpr)) + 0.0005 * Math.Sin(dr * (2 * mpr + m));
        var deltaT = t < -11
            ? 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
            : -0.000278 + 0.000265 * t + 0.000262 * t2;
        return jd1 + c1 - deltaT;
    }

    /// <summary>The local (UTC+7) day on which the k-th new moon falls.</summary>
    private static int NewMoonDay(int k) => (int)Math.Floor(NewMoon(k) + 0.5 + TimeZone / 24);

    /// <summary>The sun's ecliptic longitude at a Julian day, in radians in [0, 2π).</summary>
    private static double SunLongitude(double julianDay)
    {
        var t = (julianDay - 2451545.0) / 36525;
        var t2 = t * t;
        const double dr = Math.PI / 180;
        var m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
        var l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
        var dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * Math.Sin(dr * m)
            + (0.019993 - 0.000101 * t) * Math.Sin(dr * 2 * m) + 0.000290 * Math.Sin(dr * 3 * m);
        var l = (l0 + dl) * dr;
        return l - Math.PI * 2 * Math.Floor(l / (Math.PI * 2));
    }

    /// <summary>Which of the twelve 30° sectors the sun is in at the start of a local day (0 = 0°–30°).</summary>
    private static int SunSector(int dayNumber) => (int)Math.Floor(SunLongitude(dayNumber - 0.5 - TimeZone / 24) / Math.PI * 6);

    /// <summary>The first day of lunar month 11 (the month holding the winter solstice) of a solar year.</summary>
    private static int LunarMonth11(int year)
    {
        var offset = JulianDay(new DateOnly(year, 12, 31)) - 2415021;
        var k = (int)Math.Floor(offset / 29.530588853);
        var newMoon = NewMoonDay(k);
        return SunSector(newMoon) >= 9 ? NewMoonDay(k - 1) : newMoon;
    }

    /// <summary>After month 11 starting on day <paramref name="a11"/>, how many months until the first without a major solar term.</summary>
    private static int LeapMonthOffset(int a11)
    {
        var k = (int)Math.Floor((a11 - 2415021.076998695) / 29.530588853 + 0.5);
        int last;
        var i = 1;
        var arc = SunSector(NewMoonDay(k + i));
        do
        {
            last = arc;
            i++;
            arc = SunSector(NewMoonDay(k + i));
        }
        while (arc != last && i < 14);
        return i - 1;
    }
}
