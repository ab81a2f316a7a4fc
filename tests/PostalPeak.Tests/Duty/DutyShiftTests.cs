using PostalPeak.Duty;

namespace PostalPeak.Tests.Duty;

public sealed class DutyShiftTests
{
    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("cả ngày")]
    [InlineData("Cả ngày")]
    [InlineData("ca ngay")]
    [InlineData("all day")]
    [InlineData("00:00-24:00")]
    public void BlankOrCaNgayIsTheWholeDay(string? text)
    {
        Assert.True(DutyShift.TryParse(text, out var shift));
        Assert.True(shift.IsAllDay);
        Assert.Equal(new TimeOnly(0, 0), shift.Start);
        Assert.Equal(1440, shift.Minutes);
        Assert.Equal("cả ngày", shift.Text);
        Assert.Equal("00:00–24:00", shift.Range);
    }

    [Theory]
    [InlineData("ca sáng 06:00–14:00", "ca sáng", 6, 0, 480, false)]
    [InlineData("ca sáng (06:00-14:00)", "ca sáng", 6, 0, 480, false)]
    [InlineData("06:00-14:00", "", 6, 0, 480, false)]
    [InlineData("Ca chiều 14h-22h", "Ca chiều", 14, 0, 480, false)]
    [InlineData("ca đêm 22:00–06:00", "ca đêm", 22, 0, 480, true)]
    [InlineData("ca đêm 22h30 đến 6h30", "ca đêm", 22, 30, 480, true)]
    [InlineData("trực 24/24 08:00–08:00", "trực 24/24", 8, 0, 1440, true)]
    [InlineData("16:00-24:00", "", 16, 0, 480, false)]
    public void NamedRangesKeepTheirNameAndMayCrossMidnight(string text, string name, int hour, int minute, int minutes, bool crosses)
    {
        Assert.True(DutyShift.TryParse(text, out var shift));
        Assert.Equal(name, shift.Name);
        Assert.Equal(new TimeOnly(hour, minute), shift.Start);
        Assert.Equal(minutes, shift.Minutes);
        Assert.Equal(crosses, shift.CrossesMidnight);
    }

    [Fact]
    public void ANightShiftEndsTheNextMorningInVietnamTime()
    {
        Assert.True(DutyShift.TryParse("ca đêm 22:00–06:00", out var shift));
        var (start, end) = shift.On(new DateOnly(2027, 2, 5), TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh"));

        Assert.Equal(new DateTimeOffset(2027, 2, 5, 22, 0, 0, TimeSpan.FromHours(7)), start);
        Assert.Equal(new DateTimeOffset(2027, 2, 6, 6, 0, 0, TimeSpan.FromHours(7)), end);
        Assert.Equal("ca đêm 22:00–06:00", shift.Text);
    }

    [Theory]
    [InlineData("ca sáng")]
    [InlineData("sáng nay")]
    [InlineData("25:00-26:00")]
    [InlineData("06:61-14:00")]
    [InlineData("24:00-06:00")]
    [InlineData("6-14")]
    [InlineData("06:00")]
    public void AnythingElseIsRefused(string text)
    {
        Assert.False(DutyShift.TryParse(text, out _));
    }
}
