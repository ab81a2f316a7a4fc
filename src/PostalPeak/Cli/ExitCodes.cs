namespace PostalPeak.Cli;

/// <summary>Exit codes of every command (documented in the README).</summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>An unexpected failure; the message says what happened.</summary>
    public const int Failure = 1;
    /// <summary>`ingest`: at least one file was rejected.</summary>
    public const int Rejected = 2;
    /// <summary>The command line itself is wrong (unknown command or option, missing value).</summary>
    public const int Usage = 64;
    /// <summary>The input was refused: unknown carrier, duplicate user, weak password…</summary>
    public const int InvalidInput = 65;
    /// <summary>No database: PostgreSQL binaries missing, or the configured server unreachable.</summary>
    public const int DatabaseUnavailable = 69;
}
