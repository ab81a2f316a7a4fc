using System.Globalization;

namespace PostalPeak.Shell;

/// <summary>
/// A file size that formats itself in the culture it is written in: "2.048 byte" or "50 MB" in Vietnamese, "2,048 bytes"
/// or "50 MB" in English. Passed as a message argument, so the text and its numbers come out in one language.
/// </summary>
public readonly record struct ByteSize(long Bytes) : IFormattable
{
    private const long Megabyte = 1024 * 1024;

    public string ToString(string? format, IFormatProvider? formatProvider)
    {
        var culture = formatProvider as CultureInfo ?? CultureInfo.CurrentCulture;
        var text = Translations.In(culture);
        return Bytes >= Megabyte
            ? text["Size.Megabytes", Bytes / (double)Megabyte]
            : text["Size.Bytes", Bytes];
    }

    public override string ToString() => ToString(null, CultureInfo.CurrentCulture);
}
