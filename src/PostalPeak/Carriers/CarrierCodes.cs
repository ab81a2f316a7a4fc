namespace PostalPeak.Carriers;

/// <summary>
/// Carrier codes are stored upper-case (<c>carrier.code</c>). Whatever a route, query string, form, file, folder name,
/// command line or token says goes through here first, so "alpha", " Alpha" and "ALPHA" are one carrier everywhere.
/// </summary>
public static class CarrierCodes
{
    public static string Normalize(string code) => code.Trim().ToUpperInvariant();

    /// <summary>Null for a blank: no carrier was named.</summary>
    public static string? NormalizeOrNull(string? code) => string.IsNullOrWhiteSpace(code) ? null : Normalize(code);

    public static bool Same(string? one, string? other) =>
        one is not null && other is not null && string.Equals(Normalize(one), Normalize(other), StringComparison.Ordinal);
}
