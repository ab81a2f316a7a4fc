using CsvHelper;
using Microsoft.Extensions.Localization;
using PostalPeak.Shell;

namespace PostalPeak.Ingestion;

/// <summary>
/// An upload's errors and warnings as CSV for Excel: BOM, one line per issue, formulas neutralised. Headers, severities,
/// column names and messages are in one language, the one of <c>text</c>: the uploader's, unless the reader chose one.
/// </summary>
public static class ErrorReport
{
    public static async Task WriteAsync(Stream destination, IEnumerable<StoredIssue> issues, IStringLocalizer<Text> text, CancellationToken cancellationToken)
    {
        await using var writer = await StartAsync(destination, text, cancellationToken);
        foreach (var issue in issues)
        {
            writer.WriteField(issue.Line?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "");
            writer.WriteField(issue.Column(text));
            writer.WriteField(issue.SeverityName(text));
            writer.WriteField(issue.Code);
            writer.WriteField(issue.Message(text));
            await writer.EndRecordAsync(cancellationToken);
        }
        await writer.FlushAsync(cancellationToken);
    }

    /// <summary>The report of a file refused before it was stored (too large, not a regular file): one error, no line.</summary>
    public static async Task<string> RefusalAsync(string code, string message, IStringLocalizer<Text> text, CancellationToken cancellationToken)
    {
        using var report = new MemoryStream();
        await using (var writer = await StartAsync(report, text, cancellationToken))
        {
            writer.WriteField("");
            writer.WriteField("");
            writer.WriteField(text["Severity.error"]);
            writer.WriteField(code);
            writer.WriteField(message);
            await writer.EndRecordAsync(cancellationToken);
            await writer.FlushAsync(cancellationToken);
        }
        return System.Text.Encoding.UTF8.GetString(report.ToArray());
    }

    private static async Task<CsvWriter> StartAsync(Stream destination, IStringLocalizer<Text> text, CancellationToken cancellationToken)
    {
        var options = new CsvWriterOptions { WriteByteOrderMark = true, Injection = CsvInjection.Escape };
        var writer = CsvWriter.Create(destination, options, leaveOpen: true);
        foreach (var header in new[] { "Upload.Line", "Upload.Column", "Upload.Severity", "Upload.Code", "Upload.Message" })
            writer.WriteField(text[header]);
        await writer.EndRecordAsync(cancellationToken);
        return writer;
    }
}
