using System.Globalization;
using Microsoft.Extensions.Localization;
using PostalPeak.Shell;

namespace PostalPeak.Ingestion;

/// <summary>
/// The message of an issue in the reader's language. The templates are Text.resx's <c>Issue.{code}</c>; their
/// <c>{name}</c> placeholders take the issue's args, which are stored as the file gave them or culture-free (digits,
/// canonical column names, reason codes) and are written here the reader's way. Messages say what is wrong and how to
/// fix it, for a carrier manager working from Excel.
/// </summary>
public static class IssueMessages
{
    /// <summary>Args that are counts, stored as plain digits: "11.600" in Vietnamese, "11,600" in English.</summary>
    private static readonly HashSet<string> Counts = ["outflow", "available", "counted", "flow", "resolved", "open", "received", "previous", "length", "max"];

    /// <summary>Codes whose size and max args are file sizes, read best as "50 MB".</summary>
    private static readonly HashSet<string> InBytes = [IssueCodes.TooLarge];

    /// <summary>The not_text reasons stored in English before they were stored as codes.</summary>
    private static readonly Dictionary<string, string> EarlierReasons = new(StringComparer.Ordinal)
    {
        ["binary content"] = "binary",
        ["unknown text encoding"] = "undecodable",
    };

    /// <param name="column">The issue's column: a canonical name, or a header of the file that names no canonical column.</param>
    /// <param name="header">What the file called the issue's canonical column, when it had one.</param>
    public static string Render(IStringLocalizer<Text> text, string code, IReadOnlyDictionary<string, string> args, string? column = null, string? header = null)
    {
        var template = text["Issue." + code];
        if (template.ResourceNotFound)
            return code;
        var message = template.Value;
        foreach (var (name, value) in args)
            message = message.Replace("{" + name + "}", Arg(text, code, name, value, column, header), StringComparison.Ordinal);
        return message;
    }

    private static string Arg(IStringLocalizer<Text> text, string code, string name, string value, string? column, string? header)
    {
        var isNumber = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number);
        return name switch
        {
            "size" or "max" when isNumber && InBytes.Contains(code) => text["Issue.Value", new ByteSize(number)],
            _ when isNumber && Counts.Contains(name) => text["Issue.Count", number],
            "column" => ColumnLabel(text, value, value == column ? header : null),
            "reason" => text["Issue.Reason." + EarlierReasons.GetValueOrDefault(value, value)] is { ResourceNotFound: false } reason ? reason.Value : value,
            _ => value,
        };
    }

    /// <summary>
    /// A column as the carrier knows it, with PostalPeak's name beside: "Sản lượng nhận (received)" for the file's header;
    /// "received (Sản lượng nhận)" when the file used the canonical name itself; the human name from Text.resx when the
    /// file had no such header (a missing column); a header that names no column as written.
    /// </summary>
    public static string ColumnLabel(IStringLocalizer<Text> text, string? column, string? header)
    {
        if (string.IsNullOrEmpty(column))
            return "";
        var canonical = ReportColumns.Match(column);
        if (canonical is null)
            return column;
        header ??= ReportColumns.Aliases.ContainsKey(column) ? null : column;
        var human = text["Column." + canonical].Value;
        if (header is null)
            return text["Upload.ColumnLabel", human, canonical];
        return ReportColumns.NormalizeHeader(header) == ReportColumns.NormalizeHeader(canonical)
            ? text["Upload.ColumnLabel", header, human]
            : text["Upload.ColumnLabel", header, canonical];
    }
}
