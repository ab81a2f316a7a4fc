using System.Text;

namespace PostalPeak.Shell;

/// <summary>
/// Text from outside (a file name from the drop folder or an upload) as it may go into a log line: control
/// characters and line separators shown as \uXXXX, so a name with a newline cannot forge a second log entry.
/// </summary>
public static class LogText
{
    public static string Printable(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return text ?? "";
        if (!text.Any(IsUnsafe))
            return text;
        var result = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (IsUnsafe(c))
                result.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            else
                result.Append(c);
        }
        return result.ToString();
    }

    private static bool IsUnsafe(char c) => char.IsControl(c) || c is '\u2028' or '\u2029' or '\u200E' or '\u200F' or '\u202A' or '\u202B' or '\u202C' or '\u202D' or '\u202E';
}
