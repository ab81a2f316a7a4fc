namespace PostalPeak.Ingestion;

/// <summary>
/// The fixed vocabulary of upload problems. API clients rely on these codes: never rename one, only add.
/// docs/csv-format.md explains each with how to fix it.
/// </summary>
public static class IssueCodes
{
    // Errors: the whole file is rejected.
    public const string MissingColumn = "missing_column";
    public const string DuplicateColumn = "duplicate_column";
    public const string MissingValue = "missing_value";
    public const string InvalidNumber = "invalid_number";
    public const string NegativeNumber = "negative_number";
    public const string InvalidDate = "invalid_date";
    public const string FutureDate = "future_date";
    public const string UnknownUnit = "unknown_unit";
    public const string CarrierMismatch = "carrier_mismatch";
    public const string DuplicateRow = "duplicate_row";
    public const string FieldTooLong = "field_too_long";
    public const string MalformedRow = "malformed_row";
    public const string EmptyFile = "empty_file";
    public const string NotText = "not_text";
    public const string TooLarge = "too_large";
    public const string RecordTooLong = "record_too_long";

    // The file is not at fault: processing failed on the server, the upload ends as failed and an administrator may retry it.
    public const string ProcessingFailed = "processing_failed";

    // Warnings: the file is accepted, the warning is recorded and shown.
    public const string UnknownColumn = "unknown_column";
    public const string OutflowExceedsStock = "outflow_exceeds_stock";
    public const string BacklogMismatch = "backlog_mismatch";
    public const string ResolvedExceedsOpen = "resolved_exceeds_open";
    public const string VolumeJump = "volume_jump";

    public static readonly IReadOnlyList<string> Errors =
    [
        MissingColumn, DuplicateColumn, MissingValue, InvalidNumber, NegativeNumber, InvalidDate, FutureDate, UnknownUnit,
        CarrierMismatch, DuplicateRow, FieldTooLong, MalformedRow, EmptyFile, NotText, TooLarge, RecordTooLong,
    ];

    public static readonly IReadOnlyList<string> Warnings = [UnknownColumn, OutflowExceedsStock, BacklogMismatch, ResolvedExceedsOpen, VolumeJump];
}

public enum IssueSeverity
{
    Error,
    Warning,
}

/// <summary>One problem of an upload: where (line and column, when known), what (code), and the values its message names.</summary>
public sealed record Issue(IssueSeverity Severity, int? Line, string? Column, string Code, IReadOnlyDictionary<string, string> Args)
{
    public static Issue Error(int? line, string? column, string code, params (string Name, string Value)[] args) =>
        new(IssueSeverity.Error, line, column, code, args.ToDictionary(a => a.Name, a => a.Value));

    public static Issue Warning(int? line, string? column, string code, params (string Name, string Value)[] args) =>
        new(IssueSeverity.Warning, line, column, code, args.ToDictionary(a => a.Name, a => a.Value));
}

/// <summary>Collects issues, keeping at most <see cref="Limit"/> of them but counting all.</summary>
public sealed class IssueCollector
{
    public const int Limit = 1000;
    private readonly List<Issue> _kept = [];
    private IReadOnlyDictionary<string, string> _headers = new Dictionary<string, string>();

    public int ErrorCount { get; private set; }
    public int WarningCount { get; private set; }
    public IReadOnlyList<Issue> Kept => _kept;
    public bool HasErrors => ErrorCount > 0;

    /// <summary>What the file called each canonical column: an issue then names the column as the carrier wrote it.</summary>
    public void NameColumns(IReadOnlyDictionary<string, string> headers) => _headers = headers;

    /// <summary>The file's header of a canonical column, null when the file had none (or the column is not canonical).</summary>
    public string? HeaderOf(string? column) => column is null ? null : _headers.GetValueOrDefault(column);

    public void Add(Issue issue)
    {
        if (issue.Severity == IssueSeverity.Error)
            ErrorCount++;
        else
            WarningCount++;
        if (_kept.Count < Limit)
            _kept.Add(issue);
    }
}
