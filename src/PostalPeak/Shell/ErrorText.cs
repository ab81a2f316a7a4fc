using Microsoft.Extensions.Localization;

namespace PostalPeak.Shell;

public static class ErrorText
{
    /// <summary>
    /// A refused input said in the reader's language when its code has a text ("Error.{code}" in Text.resx, or the
    /// exception's <see cref="InputException.Key"/>), else the exception's own English message. Its particulars are
    /// formatted in the localizer's culture, so numbers and sizes read the reader's way.
    /// </summary>
    public static string Explain(this IStringLocalizer<Text> text, InputException e)
    {
        try
        {
            var localized = text[e.Key ?? "Error." + e.Code, e.Args];
            return localized.ResourceNotFound ? e.Message : localized.Value;
        }
        catch (FormatException)
        {
            // A thrower that gave fewer particulars than the text needs: its English still says what is wrong.
            return e.Message;
        }
    }
}
