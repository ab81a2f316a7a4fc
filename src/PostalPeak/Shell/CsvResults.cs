using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using CsvHelper;

namespace PostalPeak.Shell;

/// <summary>
/// Writes a list of records as a CSV download with the same snake_case names as the JSON form:
/// UTF-8 with a BOM (Excel reads the Vietnamese right), invariant numbers, ISO dates, empty for null.
/// </summary>
public static class CsvResults
{
    /// <summary>
    /// Whether <c>format=</c> asks for CSV. Anything but json or csv is refused: a script asking for xml should
    /// hear so, not parse JSON it did not expect.
    /// </summary>
    public static bool WantsCsv(string? format) =>
        string.IsNullOrEmpty(format) || string.Equals(format, "json", StringComparison.OrdinalIgnoreCase) ? false
        : string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase) ? true
        : throw new InputException("invalid_format", $"format must be json or csv, not '{format}'.") { Args = [format] };

    public static IResult Write<T>(IReadOnlyList<T> rows, string fileName)
    {
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance);
        return Results.Stream(async stream =>
        {
            await using var writer = CsvWriter.Create(stream, new CsvWriterOptions { WriteByteOrderMark = true, Injection = CsvInjection.Escape }, leaveOpen: true);
            foreach (var property in properties)
                writer.WriteField(property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name));
            await writer.EndRecordAsync();
            foreach (var row in rows)
            {
                foreach (var property in properties)
                    Write(writer, property.GetValue(row));
                await writer.EndRecordAsync();
            }
            await writer.FlushAsync();
        }, "text/csv; charset=utf-8", fileName);
    }

    /// <summary>
    /// Numbers go out as numbers: only text is checked for spreadsheet formulas, so a negative backlog growth
    /// stays -32 rather than becoming the text '-32, while a text field starting with = + - @ is neutralised.
    /// </summary>
    private static void Write(CsvWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteField("");
                break;
            case long number:
                writer.WriteField(number, default, CultureInfo.InvariantCulture);
                break;
            case int number:
                writer.WriteField(number, default, CultureInfo.InvariantCulture);
                break;
            case double number:
                writer.WriteField(number, default, CultureInfo.InvariantCulture);
                break;
            case DateOnly date:
                writer.WriteField(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case DateTime time:
                // Like the JSON answers: no trailing zeros of a fraction (2026-02-10T03:00:00Z), which spreadsheets read.
                writer.WriteField(time.ToString(time.Kind == DateTimeKind.Utc ? "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'" : "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture));
                break;
            case bool flag:
                writer.WriteField(flag ? "true" : "false");
                break;
            default:
                writer.WriteField(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
                break;
        }
    }
}
