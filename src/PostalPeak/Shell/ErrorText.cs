using Microsoft.Extensions.Localization;

namespace PostalPeak.Shell;

public static class ErrorText
{
    /// <summary>
    /// A refused input said in the page's language when its code has a text ("Error.{code}" in Text.resx), else the
    /// exception's own English message: the API keeps the stable code and the English, pages read better.
    /// </summary>
    public static string Explain(this IStringLocalizer<Text> text, InputException e)
    {
        try
        {
            var localized = text["Error." + e.Code, e.Args];
            return localized.ResourceNotFound ? e.Message : localized.Value;
        }
        catch (FormatException)
        {
            // A thrower that gave fewer particulars than the text needs: its English still says what is wrong.
            return e.Message;
        }
    }
}
