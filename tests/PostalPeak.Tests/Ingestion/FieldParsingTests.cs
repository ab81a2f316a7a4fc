using PostalPeak.Ingestion;

namespace PostalPeak.Tests.Ingestion;

public sealed class FieldParsingTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("1234", 1234)]
    [InlineData("1.234", 1234)]
    [InlineData("1,234", 1234)]
    [InlineData("1 234 567", 1234567)]
    [InlineData("12.345.678", 12345678)]
    [InlineData(" 42 ", 42)]
    [InlineData("-5", -5)]
    public void ReadsCountsWithEitherThousandsSeparator(string text, long expected)
    {
        Assert.True(FieldParsing.TryParseCount(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("1,23")]
    [InlineData("1.234,5")]
    [InlineData("1.234.56")]
    [InlineData("1,234.567")]
    [InlineData(".123")]
    [InlineData("123.")]
    [InlineData("99999999999999999999")]
    [InlineData("0.123")]
    [InlineData("1234.567")]
    [InlineData("1.234 567")]
    public void RefusesWhatIsNotAWholeCount(string text) => Assert.False(FieldParsing.TryParseCount(text, out _));

    [Theory]
    [InlineData("2027-02-06", 2027, 2, 6)]
    [InlineData("06/02/2027", 2027, 2, 6)]
    [InlineData("6/2/2027", 2027, 2, 6)]
    [InlineData("31/12/2026", 2026, 12, 31)]
    public void ReadsDatesDayFirst(string text, int year, int month, int day)
    {
        Assert.True(FieldParsing.TryParseDate(text, out var value));
        Assert.Equal(new DateOnly(year, month, day), value);
    }

    [Theory]
    [InlineData("12/31/2026")]
    [InlineData("2026-13-01")]
    [InlineData("31/02/2027")]
    [InlineData("hôm qua")]
    public void RefusesDatesItCannotReadWithoutGuessing(string text) => Assert.False(FieldParsing.TryParseDate(text, out _));
}
