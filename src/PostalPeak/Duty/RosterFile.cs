using System.Globalization;
using CsvHelper;
using PostalPeak.Ingestion;

namespace PostalPeak.Duty;

/// <summary>One day and shift of a roster, as read and checked; phones are canonical.</summary>
public sealed record RosterRow(int Line, DateOnly Date, DutyShift Shift, string UnitCode, string LeaderName, string LeaderPosition,
    string LeaderPhone, string OperatorName, string OperatorPhone, string Hotline, bool? Hotline24h);

/// <summary>
/// Reads a roster CSV with the daily report's conventions (docs/csv-format.md): the encoding detected from the bytes,
/// headers matched with or without diacritics (<see cref="ReportColumns.NormalizeHeader"/>), text composed
/// (<see cref="UnicodeText"/>), dates as <see cref="FieldParsing.TryParseDate"/> reads them, and every problem
/// collected with its line (<see cref="IssueCollector"/>). A file with any error is refused whole.
/// </summary>
public static class RosterFile
{
    public const string Date = "date";
    public const string Shift = "shift";
    public const string LeaderName = "leader_name";
    public const string LeaderPosition = "leader_position";
    public const string LeaderPhone = "leader_phone";
    public const string OperatorName = "operator_name";
    public const string OperatorPhone = "operator_phone";
    public const string Hotline = "hotline";
    public const string UnitCode = "unit_code";
    public const string Hotline24h = "hotline_24h";
    public const string CarrierCode = "carrier_code";

    public const int MaxNameLength = 200;
    public const int MaxCodeLength = 20;

    // Codes of the roster's own problems, beside the report's (IssueCodes); never rename one.
    public const string InvalidPhone = "invalid_phone";
    public const string InvalidShift = "invalid_shift";
    public const string InvalidFlag = "invalid_flag";
    public const string TooManyRows = "too_many_rows";
    public const string NoEntries = "no_entries";

    /// <summary>The columns in the order the CSV export writes them.</summary>
    public static readonly IReadOnlyList<string> Columns =
        [Date, Shift, LeaderName, LeaderPosition, LeaderPhone, OperatorName, OperatorPhone, Hotline, UnitCode, Hotline24h];

    public static readonly IReadOnlyList<string> Required = [Date, LeaderName, LeaderPhone, OperatorName, OperatorPhone, Hotline];

    /// <summary>Canonical name → the headers people write for it; compared after <see cref="ReportColumns.NormalizeHeader"/>.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Aliases = new Dictionary<string, string[]>
    {
        [Date] = ["Ngày", "Ngày trực", "duty_date"],
        [Shift] = ["Ca", "Ca trực"],
        [LeaderName] = ["Lãnh đạo trực", "Họ tên lãnh đạo trực", "leader"],
        [LeaderPosition] = ["Chức vụ", "Chức vụ lãnh đạo"],
        [LeaderPhone] = ["Số điện thoại lãnh đạo", "Điện thoại lãnh đạo", "SĐT lãnh đạo"],
        [OperatorName] = ["Trực điều hành", "Trực khai thác", "Họ tên trực điều hành", "operator"],
        [OperatorPhone] = ["Số điện thoại điều hành", "Điện thoại điều hành", "SĐT điều hành", "SĐT trực điều hành"],
        [Hotline] = ["Đường dây nóng", "Hotline"],
        [UnitCode] = ["Mã đơn vị", "Đơn vị", "unit"],
        [Hotline24h] = ["Trực 24/24", "Đường dây nóng 24/24", "hotline 24/24"],
        [CarrierCode] = ["Mã DN", "Mã doanh nghiệp", "carrier"],
    };

    private static readonly Dictionary<string, string> ByNormalizedName = Aliases
        .SelectMany(a => a.Value.Append(a.Key).Select(alias => (Name: ReportColumns.NormalizeHeader(alias), Canonical: a.Key)))
        .DistinctBy(a => a.Name)
        .ToDictionary(a => a.Name, a => a.Canonical, StringComparer.Ordinal);

    public static string? Match(string header) => ByNormalizedName.GetValueOrDefault(ReportColumns.NormalizeHeader(header));

    /// <summary>Reads the whole file; rows are returned only when there is no error.</summary>
    public static async Task<IReadOnlyList<RosterRow>> ReadAsync(byte[] content, string carrierCode, int maxRows, IssueCollector issues,
        CancellationToken cancellationToken)
    {
        var detected = await TextEncodingDetector.DetectAsync(() => Task.FromResult<Stream>(new MemoryStream(content, false)), cancellationToken);
        if (!detected.IsText)
        {
            issues.Add(Issue.Error(null, null, IssueCodes.NotText, ("reason", detected.NotTextReason ?? "undecodable")));
            return [];
        }
        var malformed = new List<long>();
        var options = new CsvReaderOptions
        {
            TrackLineNumbers = true,
            Encoding = detected.Encoding is System.Text.UTF8Encoding ? null : detected.Encoding,
            MaxRecordSize = 1 << 20,
            OnMalformedRecord = record => malformed.Add(record.LineNumber),
        };
        using var stream = new MemoryStream(content, false);
        await using var reader = CsvReader.Create(stream, options, leaveOpen: true);
        var rows = new List<RosterRow>();
        var seen = new Dictionary<RowKey, int>();
        var count = 0;
        try
        {
            await reader.ReadHeaderAsync(cancellationToken);
            var columns = MapHeader(reader.Headers, issues);
            if (columns is null)
                return [];
            while (await reader.ReadAsync(cancellationToken))
            {
                foreach (var line in malformed)
                    issues.Add(Issue.Error((int)line, null, IssueCodes.MalformedRow));
                malformed.Clear();
                if (Enumerable.Range(0, reader.FieldCount).All(i => reader.IsEmpty(i) || string.IsNullOrWhiteSpace(reader.GetString(i))))
                    continue;
                if (++count > maxRows)
                {
                    issues.Add(Issue.Error((int)reader.LineNumber, null, TooManyRows, ("max", maxRows.ToString(CultureInfo.InvariantCulture))));
                    break;
                }
                if (CheckRow(FieldsOf(reader, columns), (int)reader.LineNumber, carrierCode, issues) is not { } row)
                    continue;
                CheckUnique(row, seen, issues);
                rows.Add(row);
            }
        }
        catch (CsvFormatException e)
        {
            var line = e.LineNumber > 0 ? (int)Math.Min(e.LineNumber, int.MaxValue) : (int?)null;
            issues.Add(Issue.Error(line, null, IssueCodes.RecordTooLong, ("line", (line ?? count + 2).ToString(CultureInfo.InvariantCulture)),
                ("max", (1 << 20).ToString(CultureInfo.InvariantCulture))));
        }
        if (count == 0 && !issues.HasErrors)
            issues.Add(Issue.Error(null, null, IssueCodes.EmptyFile));
        return issues.HasErrors ? [] : rows;
    }

    private static Dictionary<string, int>? MapHeader(IReadOnlyList<string> headers, IssueCollector issues) =>
        ReportFileReader.MapHeader(headers, issues, Match, Required);

    private static Func<string, string?> FieldsOf(CsvReader reader, Dictionary<string, int> columns) => column =>
    {
        var index = columns.GetValueOrDefault(column, -1);
        return index < 0 || index >= reader.FieldCount || reader.IsEmpty(index) ? null : reader.GetString(index);
    };

    /// <summary>
    /// Checks roster entries that come as fields rather than a file (the page's table, the API's JSON): each with
    /// the number its problems are reported under, by the same rules as a file's rows. Rows are returned only when
    /// there is no error; more than <paramref name="maxRows"/> entries is one error.
    /// </summary>
    public static IReadOnlyList<RosterRow> Check(IReadOnlyList<(int Line, IReadOnlyDictionary<string, string?> Fields)> entries, string carrierCode,
        int maxRows, IssueCollector issues)
    {
        if (entries.Count == 0)
        {
            issues.Add(Issue.Error(null, null, NoEntries));
            return [];
        }
        if (entries.Count > maxRows)
        {
            issues.Add(Issue.Error(null, null, TooManyRows, ("max", maxRows.ToString(CultureInfo.InvariantCulture))));
            return [];
        }
        var rows = new List<RosterRow>();
        var seen = new Dictionary<RowKey, int>();
        foreach (var (line, fields) in entries)
        {
            if (CheckRow(column => fields.GetValueOrDefault(column), line, carrierCode, issues) is not { } row)
                continue;
            CheckUnique(row, seen, issues);
            rows.Add(row);
        }
        return issues.HasErrors ? [] : rows;
    }

    private readonly record struct RowKey(DateOnly Date, TimeOnly Start, int Minutes, string Unit);

    /// <summary>One row per day, shift and unit: a second one is an error naming the first.</summary>
    private static void CheckUnique(RosterRow row, Dictionary<RowKey, int> seen, IssueCollector issues)
    {
        var key = new RowKey(row.Date, row.Shift.Start, row.Shift.Minutes, row.UnitCode);
        if (seen.TryGetValue(key, out var first))
            issues.Add(Issue.Error(row.Line, Date, IssueCodes.DuplicateRow, ("first", first.ToString(CultureInfo.InvariantCulture)),
                ("value", row.Date.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture) + " " + row.Shift.Text)));
        else
            seen[key] = row.Line;
    }

    /// <summary>
    /// The one check of a roster row, whatever brought it: every field's problem reported under <paramref name="line"/>
    /// and the field's canonical name; phones made canonical. <paramref name="raw"/> gives a field's text, null when absent.
    /// </summary>
    public static RosterRow? CheckRow(Func<string, string?> raw, int line, string carrierCode, IssueCollector issues)
    {
        var errorsBefore = issues.ErrorCount;
        string Field(string column) => UnicodeText.Normalize((raw(column) ?? "").Trim());
        (string Name, string Value) Column(string column) => ("column", issues.HeaderOf(column) ?? column);

        var dateText = Field(Date);
        DateOnly date = default;
        if (dateText.Length == 0)
            issues.Add(Issue.Error(line, Date, IssueCodes.MissingValue, Column(Date)));
        else if (!FieldParsing.TryParseDate(dateText, out date) || date.Year is < 2000 or > 2100)
            issues.Add(Issue.Error(line, Date, IssueCodes.InvalidDate, ("value", Shorten(dateText))));

        var shiftText = Field(Shift);
        if (!DutyShift.TryParse(shiftText, out var shift))
            issues.Add(Issue.Error(line, Shift, InvalidShift, ("value", Shorten(shiftText))));

        string Text(string column, bool required, int max)
        {
            var value = Field(column);
            if (value.Length == 0 && required)
                issues.Add(Issue.Error(line, column, IssueCodes.MissingValue, Column(column)));
            else if (value.Length > max)
                issues.Add(Issue.Error(line, column, IssueCodes.FieldTooLong, Column(column), ("length", value.Length.ToString(CultureInfo.InvariantCulture)),
                    ("max", max.ToString(CultureInfo.InvariantCulture))));
            return value;
        }
        string Phone(string column)
        {
            var value = Field(column);
            if (value.Length == 0)
                issues.Add(Issue.Error(line, column, IssueCodes.MissingValue, Column(column)));
            else if (VietnamesePhone.TryParse(value, out var phone))
                return phone.Canonical;
            else
                issues.Add(Issue.Error(line, column, InvalidPhone, Column(column), ("value", Shorten(value))));
            return "";
        }

        var leaderName = Text(LeaderName, true, MaxNameLength);
        var leaderPosition = Text(LeaderPosition, false, MaxNameLength);
        var leaderPhone = Phone(LeaderPhone);
        var operatorName = Text(OperatorName, true, MaxNameLength);
        var operatorPhone = Phone(OperatorPhone);
        var hotline = Phone(Hotline);
        var unit = Text(UnitCode, false, MaxCodeLength);

        bool? staffed = null;
        var flag = ReportColumns.NormalizeHeader(Field(Hotline24h));
        if (flag is "co" or "yes" or "true" or "x" or "1" or "24/24")
            staffed = true;
        else if (flag is "khong" or "no" or "false" or "0")
            staffed = false;
        else if (flag.Length > 0)
            issues.Add(Issue.Error(line, Hotline24h, InvalidFlag, Column(Hotline24h), ("value", Shorten(Field(Hotline24h)))));

        var carrier = Field(CarrierCode);
        if (carrier.Length > 0 && !Carriers.CarrierCodes.Same(carrier, carrierCode))
            issues.Add(Issue.Error(line, CarrierCode, IssueCodes.CarrierMismatch, ("value", Shorten(carrier)), ("carrier", carrierCode)));

        if (issues.ErrorCount > errorsBefore)
            return null;
        return new RosterRow(line, date, shift, unit, leaderName, leaderPosition, leaderPhone, operatorName, operatorPhone, hotline, staffed);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
