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
                    writer.WriteField(Format(property.GetValue(row)));
                await writer.EndRecordAsync();
            }
            await writer.FlushAsync();
        }, "text/csv; charset=utf-8", fileName);
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime time => time.ToString("O", CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
