using System.Globalization;
using PostalPeak.Calendar;

namespace PostalPeak.Tests.Calendar;

public sealed class LunarCalendarTests
{
    [Theory]
    [InlineData(1900, "1900-01-31")]
    [InlineData(1985, "1985-01-21")]
    [InlineData(2007, "2007-02-17")]
    [InlineData(2023, "2023-01-22")]
    [InlineData(2024, "2024-02-10")]
    [InlineData(2025, "2025-01-29")]
    [InlineData(2026, "2026-02-17")]
    [InlineData(2027, "2027-02-06")]
    [InlineData(2030, "2030-02-02")]
    [InlineData(2053, "2053-02-18")]
    public void TetFallsOnTheKnownDay(int year, string expected) =>
        Assert.Equal(DateOnly.Parse(expected, CultureInfo.InvariantCulture), LunarCalendar.Tet(year));

    [Theory]
    [InlineData(1985)]
    [InlineData(2007)]
    [InlineData(2030)]
    public void DiffersFromTheChineseCalendarWhereTheMeridianMatters(int year)
    {
        var chinese = new ChineseLunisolarCalendar();
        var chineseNewYear = DateOnly.FromDateTime(chinese.ToDateTime(year, 1, 1, 0, 0, 0, 0));

        Assert.NotEqual(chineseNewYear, LunarCalendar.Tet(year));
    }

    [Fact]
    public void EveryDayFrom1900To2100RoundTrips()
    {
        var first = new DateOnly(LunarCalendar.FirstYear, 1, 1);
        var last = new DateOnly(LunarCalendar.LastYear, 12, 31);
        var previous = LunarCalendar.ToLunar(first.AddDays(-1));
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            var lunar = LunarCalendar.ToLunar(day);
            Assert.Equal(day, LunarCalendar.ToSolar(lunar));
            // Days follow one another: the next day, or day 1 of the next month after day 29 or 30.
            if (lunar.Day == 1)
                Assert.True(previous.Day is 29 or 30, $"{day}: month before ended on day {previous.Day}");
            else
                Assert.True(previous.Day + 1 == lunar.Day, $"{day}: {previous} then {lunar}");
            previous = lunar;
        }
    }

    [Fact]
    public void TheFirstDaysOf1900BelongToTheTwelfthMonthOfTheLunarYear1899()
    {
        Assert.Equal(new LunarDate(1, 12, 1899, false), LunarCalendar.ToLunar(new DateOnly(1900, 1, 1)));
        Assert.Equal(new LunarDate(30, 12, 1899, false), LunarCalendar.ToLunar(new DateOnly(1900, 1, 30)));
    }

    [Fact]
    public void TetIsAlwaysBetween21JanuaryAnd20February()
    {
        for (var year = LunarCalendar.FirstYear; year <= LunarCalendar.LastYear; year++)
        {
            var tet = LunarCalendar.Tet(year);
            Assert.InRange(tet, new DateOnly(year, 1, 21), new DateOnly(year, 2, 20));
            Assert.Equal(new LunarDate(1, 1, year, false), LunarCalendar.ToLunar(tet));
        }
    }

    [Theory]
    [InlineData(2023, 2)]
    [InlineData(2025, 6)]
    [InlineData(2028, 5)]
    [InlineData(2020, 4)]
    public void KnowsTheLeapMonths(int year, int month)
    {
        Assert.Equal(month, LunarCalendar.LeapMonth(year));
        var leapStart = LunarCalendar.ToSolar(new LunarDate(1, month, year, true));
        Assert.Equal(new LunarDate(1, month, year, true), LunarCalendar.ToLunar(leapStart));
    }

    [Fact]
    public void AYearWithoutLeapMonthSaysSo()
    {
        Assert.Null(LunarCalendar.LeapMonth(2024));
        Assert.Throws<ArgumentException>(() => LunarCalendar.ToSolar(new LunarDate(1, 3, 2024, true)));
    }

    [Theory]
    [InlineData(2023, "Quý Mão")]
    [InlineData(2024, "Giáp Thìn")]
    [InlineData(2025, "Ất Tỵ")]
    [InlineData(2026, "Bính Ngọ")]
    [InlineData(2027, "Đinh Mùi")]
    [InlineData(1985, "Ất Sửu")]
    [InlineData(1900, "Canh Tý")]
    public void NamesTheYearsTheVietnameseWay(int year, string name) => Assert.Equal(name, VietnameseNames.YearName(year));

    [Fact]
    public void LabelsTheDaysAroundTet()
    {
        var tet = LunarCalendar.Tet(2027);

        Assert.Equal("28 tháng Chạp", VietnameseNames.DayLabel(LunarCalendar.ToLunar(tet.AddDays(-2))));
        Assert.Equal("29 Tết", VietnameseNames.TetLabel(LunarCalendar.ToLunar(tet.AddDays(-1))));
        Assert.Equal("Mùng 1 Tết", VietnameseNames.TetLabel(LunarCalendar.ToLunar(tet)));
        Assert.Equal("Mùng 1 tháng Giêng", VietnameseNames.DayLabel(LunarCalendar.ToLunar(tet)));
        Assert.Equal("15 tháng Giêng", VietnameseNames.TetLabel(LunarCalendar.ToLunar(tet.AddDays(14))));
    }
}
