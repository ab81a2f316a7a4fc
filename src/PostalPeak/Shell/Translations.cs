using System.Globalization;
using System.Resources;
using Microsoft.Extensions.Localization;

namespace PostalPeak.Shell;

/// <summary>
/// Text.resx read in a language chosen by the caller rather than by the request: e-mails, digests, the drop
/// folder's notes, errors.csv, charts and the CLI. Pages and endpoints take <c>IStringLocalizer&lt;Text&gt;</c>
/// from the request; both read the same resources, so every sentence a person reads has one home.
/// </summary>
public static class Translations
{
    private static readonly ResourceManager Resources = new(typeof(Text).FullName!, typeof(Text).Assembly);

    public static CultureInfo Vietnamese => ShellExtensions.Vietnamese;
    public static CultureInfo English => ShellExtensions.English;

    /// <summary>The culture of a stored language code ("vi", "en", "en-US"); Vietnamese unless English was chosen.</summary>
    public static CultureInfo Culture(string? language) =>
        language is not null && language.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? English : Vietnamese;

    /// <summary>The resources in <paramref name="culture"/>, whatever the current thread's culture is.</summary>
    public static IStringLocalizer<Text> In(CultureInfo culture) => new CultureBound(culture);

    /// <summary>The resources in the language of a stored language code.</summary>
    public static IStringLocalizer<Text> In(string? language) => In(Culture(language));

    private sealed class CultureBound(CultureInfo culture) : IStringLocalizer<Text>
    {
        public LocalizedString this[string name]
        {
            get
            {
                var value = Resources.GetString(name, culture);
                return new LocalizedString(name, value ?? name, resourceNotFound: value is null);
            }
        }

        public LocalizedString this[string name, params object[] arguments]
        {
            get
            {
                var format = this[name];
                return format.ResourceNotFound
                    ? format
                    : new LocalizedString(name, string.Format(culture, format.Value, arguments), resourceNotFound: false);
            }
        }

        public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures)
        {
            var set = Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: includeParentCultures);
            if (set is null)
                yield break;
            foreach (System.Collections.DictionaryEntry entry in set)
                yield return new LocalizedString((string)entry.Key, (string?)entry.Value ?? "", resourceNotFound: false);
        }
    }
}
