using System.Text;

namespace PostalPeak.Ingestion;

/// <summary>
/// Unicode normalisation that cannot throw. string.Normalize refuses U+FFFE (a byte-swapped byte order
/// mark, as a mangled UTF-16 file holds) and unpaired surrogates with an ArgumentException; a carrier's
/// file must never stop the reader, so such characters become U+FFFD first and the text is judged as text.
/// </summary>
public static class UnicodeText
{
    public static string Normalize(string text, NormalizationForm form = NormalizationForm.FormC)
    {
        if (text.Length == 0)
            return text;
        return (IsNormalizable(text) ? text : Repair(text)).Normalize(form);
    }

    private static bool IsNormalizable(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < '\uD800')
                continue;
            if (c == '\uFFFE' || char.IsLowSurrogate(c))
                return false;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                    return false;
                i++;
            }
        }
        return true;
    }

    private static string Repair(string text)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                result.Append(c).Append(text[++i]);
                continue;
            }
            result.Append(c == '\uFFFE' || char.IsSurrogate(c) ? '\uFFFD' : c);
        }
        return result.ToString();
    }
}
