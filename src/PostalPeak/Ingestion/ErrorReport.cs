using CsvHelper;

namespace PostalPeak.Ingestion;

/// <summary>An upload's errors and warnings as CSV for Excel: BOM, one line per issue, formulas neutralised.</summary>
public static class ErrorReport
{
    public static async Task WriteAsync(Stream destination, IEnumerable<StoredIssue> issues, string language, CancellationToken cancellationToken)
    {
        var options = new CsvWriterOptions { WriteByteOrderMark = true, Injection = CsvInjection.Escape };
        await using var writer = CsvWriter.Create(destination, options, leaveOpen: true);
        foreach (var header in new[] { "line", "column", "severity", "code", "message" })
            writer.WriteField(header);
        await writer.EndRecordAsync(cancellationToken);
        foreach (var issue in issues)
        {
            writer.WriteField(issue.Line?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "");
            writer.WriteField(issue.ColumnName ?? "");
            writer.WriteField(issue.Severity);
            writer.WriteField(issue.Code);
            writer.WriteField(issue.Message(language));
            await writer.EndRecordAsync(cancellationToken);
        }
        await writer.FlushAsync(cancellationToken);
    }
}
