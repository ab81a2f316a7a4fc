using System.Globalization;

namespace PostalPeak.Ingestion;

/// <summary>Reads the numbers and dates of a report as people type them in Vietnam and in Excel.</summary>
public static class FieldParsing
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd", "dd/MM/yyyy", "d/M/yyyy"];

    /// <summary>
    /// A whole count: "1234", "1.234" (vi-VN thousands), "1,234" (en thousands), "1 234". A separator must
    /// be followed by exactly three digits, so "1.5" or "1,23" is not silently read as 15 or 123. A lone
    /// dash is zero: Excel's accounting format shows zero as "-", and that is what it writes to CSV.
    /// </summary>
    public static bool TryParseCount(string text, out long value)
    {
        value = 0;
        var s = text.Trim().Replace("\u00A0", " ", StringComparison.Ordinal);
        if (s.Length == 0)
            return false;
        if (s is "-" or "\u2013" or "\u2212")
            return true;
        var negative = s[0] == '-';
        if (negative)
            s = s[1..].TrimStart();
        if (s.Length == 0)
            return false;
        char? separator = null;
        var digitsSinceSeparator = -1;
        var leadingDigits = 0;
        long result = 0;
        foreach (var c in s)
        {
            if (c is >= '0' and <= '9')
            {
                if (result > (long.MaxValue - 9) / 10)
                    return false;
                result = result * 10 + (c - '0');
                if (digitsSinceSeparator >= 0)
                    digitsSinceSeparator++;
                else
                    leadingDigits++;
                continue;
            }
            if (c is not ('.' or ',' or ' '))
                return false;
            if ((separator is not null && separator != c) || digitsSinceSeparator is >= 0 and not 3)
                return false;
            // The first group of a grouped number has 1 to 3 digits and no leading zero: "0.123" or "1234.567" is not a count.
            if (separator is null && (leadingDigits is 0 or > 3 || s[0] == '0'))
                return false;
            separator = c;
            digitsSinceSeparator = 0;
        }
        if (digitsSinceSeparator is >= 0 and not 3 || !char.IsAsciiDigit(s[0]))
            return false;
        value = negative ? -result : result;
        return true;
    }

    /// <summary>yyyy-MM-dd, dd/MM/yyyy or d/M/yyyy; never the US month-first reading.</summary>
    public static bool TryParseDate(string text, out DateOnly value) =>
        DateOnly.TryParseExact(text.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
}
