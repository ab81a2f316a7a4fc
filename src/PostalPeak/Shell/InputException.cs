namespace PostalPeak.Shell;

/// <summary>
/// A request the user can fix: bad input (400), a missing target (404), a conflict (409). Turned into an RFC 9457
/// problem (API), a message beside the form (pages) or a message and exit code 65 (commands), never a 500.
/// </summary>
public sealed class InputException(string code, string message, int status = StatusCodes.Status400BadRequest) : Exception(message)
{
    /// <summary>A stable, documented code clients can rely on; the message may change.</summary>
    public string Code { get; } = code;
    public int Status { get; } = status;
    /// <summary>The particulars (a phase code, an address) for a page's translated message of the same code.</summary>
    public object[] Args { get; init; } = [];
    /// <summary>For a refusal that passes by itself (429, 503): when to try again, sent as Retry-After.</summary>
    public int? RetryAfterSeconds { get; init; }
    /// <summary>The query parameter, form field or header at fault, when it is one; the API answer names it.</summary>
    public string? Parameter { get; init; }
    /// <summary>The Text.resx key of the translated message when it is not <c>Error.{Code}</c> (one code, two wordings).</summary>
    public string? Key { get; init; }

    public static InputException NotFound(string what, string key) => new("not_found", $"No {what} '{key}'.", StatusCodes.Status404NotFound) { Args = [what, key] };
}
