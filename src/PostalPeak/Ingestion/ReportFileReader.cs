using System.Globalization;
using CsvHelper;

namespace PostalPeak.Ingestion;

/// <summary>
/// Reads a carrier's daily report as a stream of rows, checking every field against the contract of
/// docs/csv-format.md. Memory stays flat whatever the file size: rows are handed on one by one, and
/// problems are collected up to <see cref="IssueCollector.Limit"/>.
/// </summary>
public sealed class ReportFileReader(UnitCatalog units, string carrierCode, DateOnly today)
{
    public const int MaxNoteLength = 500;
    public const int MaxCodeLength = 20;
    private const int MaxRecordBytes = 1 << 20;

    private static readonly string[] CountColumns =
    [
        ReportColumns.Received, ReportColumns.Delivered, ReportColumns.Returned, ReportColumns.Lost, ReportColumns.Damaged,
        ReportColumns.Backlog, ReportColumns.ComplaintsReceived, ReportColumns.ComplaintsResolved, ReportColumns.StaffOnDuty,
    ];

    /// <summary>What was read; the separator is null when the reader gave up before it knew one.</summary>
    public sealed record Summary(int Rows, char? Separator);

    /// <summary>Reads every line, calling <paramref name="onRow"/> for each valid row and adding problems to <paramref name="issues"/>.</summary>
    public async Task<Summary> ReadAsync(Stream content, System.Text.Encoding encoding, IssueCollector issues, Func<ReportRow, ValueTask> onRow, CancellationToken cancellationToken)
    {
        var malformedLines = new List<long>();
        var options = new CsvReaderOptions
        {
            TrackLineNumbers = true,
            Encoding = encoding is System.Text.UTF8Encoding ? null : encoding,
            MaxRecordSize = MaxRecordBytes,
            OnMalformedRecord = record => malformedLines.Add(record.LineNumber),
        };
        await using var reader = CsvReader.Create(content, options, leaveOpen: true);

        var rows = 0;
        try
        {
            await reader.ReadHeaderAsync(cancellationToken);
            var columns = MapHeader(reader.Headers, issues);
            if (columns is null)
                return new Summary(0, reader.Separator);

            while (await reader.ReadAsync(cancellationToken))
            {
                var line = (int)reader.LineNumber;
                if (malformedLines.Count > 0)
                {
                    foreach (var malformed in malformedLines)
                        issues.Add(Issue.Error((int)malformed, null, IssueCodes.MalformedRow));
                    malformedLines.Clear();
                }
                if (IsBlank(reader))
                    continue; // Excel writes ";;;;" lines below the data
                rows++;
                if (ReadRow(reader, columns, line, issues) is { } row)
                    await onRow(row);
            }
        }
        catch (CsvFormatException e)
        {
            // Malformed quoting is recovered from, so what throws is a record too large to buffer: an unclosed quote
            // swallowing the file, a megabyte line, or not a report at all.
            var line = e.LineNumber > 0 ? (int)Math.Min(e.LineNumber, int.MaxValue) : (int?)null;
            issues.Add(Issue.Error(line, null, IssueCodes.RecordTooLong, ("line", (line ?? rows + 2).ToString(CultureInfo.InvariantCulture)),
                ("max", MaxRecordBytes.ToString(CultureInfo.InvariantCulture))));
            return new Summary(rows, null);
        }
        if (rows == 0 && !issues.HasErrors)
            issues.Add(Issue.Error(null, null, IssueCodes.EmptyFile));
        return new Summary(rows, reader.Separator);
    }

    /// <summary>Canonical column → field index; null when the header leaves the rows unreadable.</summary>
    private static Dictionary<string, int>? MapHeader(IReadOnlyList<string> headers, IssueCollector issues) =>
        MapHeader(headers, issues, ReportColumns.Match, ReportColumns.Required);

    /// <summary>
    /// A header row read against a file's columns (<paramref name="match"/>: a header's canonical column, or null), for
    /// every CSV PostalPeak reads: unknown columns warned about, duplicates and missing required ones refused.
    /// </summary>
    internal static Dictionary<string, int>? MapHeader(IReadOnlyList<string> headers, IssueCollector issues, Func<string, string?> match,
        IEnumerable<string> required)
    {
        if (headers.Count == 0 || headers.All(string.IsNullOrWhiteSpace))
        {
            issues.Add(Issue.Error(null, null, IssueCodes.EmptyFile));
            return null;
        }
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var index = 0; index < headers.Count; index++)
        {
            var header = headers[index];
            if (string.IsNullOrWhiteSpace(header))
                continue;
            var canonical = match(header);
            if (canonical is null)
                issues.Add(Issue.Warning(1, header, IssueCodes.UnknownColumn, ("header", Shorten(header))));
            else if (!columns.TryAdd(canonical, index))
                issues.Add(Issue.Error(1, header, IssueCodes.DuplicateColumn, ("header", Shorten(header)), ("column", canonical)));
        }
        // Kept short: a header padded with a megabyte of spaces still names its column, and would be stored with every issue.
        issues.NameColumns(columns.ToDictionary(c => c.Key, c => Shorten(headers[c.Value].Trim().Trim('\uFEFF')), StringComparer.Ordinal));
        foreach (var missing in required.Where(r => !columns.ContainsKey(r)))
            issues.Add(Issue.Error(1, missing, IssueCodes.MissingColumn, ("column", missing)));
        return issues.HasErrors ? null : columns;
    }

    private static bool IsBlank(CsvReader reader)
    {
        // Spans, not strings: this runs for every line.
        for (var i = 0; i < reader.FieldCount; i++)
        {
            foreach (var b in reader.GetSpan(i))
            {
                if (b is not ((byte)' ' or (byte)'\t'))
                    return false;
            }
        }
        return true;
    }

    private ReportRow? ReadRow(CsvReader reader, Dictionary<string, int> columns, int line, IssueCollector issues)
    {
        var errorsBefore = issues.ErrorCount;
        string Field(string column)
        {
            var index = columns.GetValueOrDefault(column, -1);
            if (index < 0 || index >= reader.FieldCount || reader.IsEmpty(index))
                return "";
            return reader.GetString(index).Trim();
        }

        // Date first: the unit is checked against the units in force on that date.
        var dateText = Field(ReportColumns.ReportDate);
        DateOnly date = default;
        var dateOk = false;
        if (dateText.Length == 0)
            issues.Add(Issue.Error(line, ReportColumns.ReportDate, IssueCodes.MissingValue, ("column", ReportColumns.ReportDate)));
        else if (!FieldParsing.TryParseDate(dateText, out date))
            issues.Add(Issue.Error(line, ReportColumns.ReportDate, IssueCodes.InvalidDate, ("value", dateText)));
        else if (date > today)
            issues.Add(Issue.Error(line, ReportColumns.ReportDate, IssueCodes.FutureDate, ("value", date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)), ("today", today.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture))));
        else
            dateOk = true;

        var unit = Field(ReportColumns.UnitCode);
        if (unit.Length == 0)
            issues.Add(Issue.Error(line, ReportColumns.UnitCode, IssueCodes.MissingValue, ("column", ReportColumns.UnitCode)));
        else if (unit.Length > MaxCodeLength)
            issues.Add(Issue.Error(line, ReportColumns.UnitCode, IssueCodes.FieldTooLong, ("column", ReportColumns.UnitCode), ("length", unit.Length.ToString(CultureInfo.InvariantCulture)), ("max", MaxCodeLength.ToString(CultureInfo.InvariantCulture))));
        else if (dateOk)
        {
            // Excel drops the leading zeros of commune codes such as 00070: put them back before judging.
            var padded = unit.All(char.IsAsciiDigit) && unit.Length < 5 ? unit.PadLeft(5, '0') : unit;
            if (units.IsInForce(unit, date))
            {
            }
            else if (padded != unit && units.IsInForce(padded, date))
                unit = padded;
            else
                issues.Add(Issue.Error(line, ReportColumns.UnitCode, IssueCodes.UnknownUnit, ("value", unit), ("date", date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture))));
        }

        var carrier = Field(ReportColumns.CarrierCode);
        if (carrier.Length > 0 && !Carriers.CarrierCodes.Same(carrier, carrierCode))
            issues.Add(Issue.Error(line, ReportColumns.CarrierCode, IssueCodes.CarrierMismatch, ("value", carrier), ("carrier", carrierCode)));

        var counts = new long?[CountColumns.Length];
        for (var i = 0; i < CountColumns.Length; i++)
        {
            var column = CountColumns[i];
            var text = Field(column);
            if (text.Length == 0)
            {
                if (column is ReportColumns.Received or ReportColumns.Delivered)
                    issues.Add(Issue.Error(line, column, IssueCodes.MissingValue, ("column", column)));
                continue;
            }
            if (!FieldParsing.TryParseCount(text, out var value))
                issues.Add(Issue.Error(line, column, IssueCodes.InvalidNumber, ("value", Shorten(text))));
            else if (value < 0)
                issues.Add(Issue.Error(line, column, IssueCodes.NegativeNumber, ("value", text)));
            else
                counts[i] = value;
        }

        // Windows-1258 spells tones as combining marks: store the composed form every other file uses.
        var note = UnicodeText.Normalize(Field(ReportColumns.Note));
        if (note.Length > MaxNoteLength)
            issues.Add(Issue.Error(line, ReportColumns.Note, IssueCodes.FieldTooLong, ("column", ReportColumns.Note), ("length", note.Length.ToString(CultureInfo.InvariantCulture)), ("max", MaxNoteLength.ToString(CultureInfo.InvariantCulture))));

        if (issues.ErrorCount > errorsBefore)
            return null;
        return new ReportRow(line, unit, date, counts[0]!.Value, counts[1]!.Value, counts[2], counts[3], counts[4], counts[5], counts[6], counts[7], counts[8],
            note.Length == 0 ? null : note);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
