using System.ComponentModel.DataAnnotations;

namespace PostalPeak.Accounts;

public sealed class AccountsOptions
{
    public const string Section = "Accounts";

    /// <summary>
    /// Active (neither revoked nor expired) API tokens one carrier may hold. Every token is another secret that can
    /// leak; the upload limit is the carrier's anyway, so more tokens buy nothing but risk.
    /// </summary>
    [Range(1, 1000)]
    public int MaxTokensPerCarrier { get; set; } = 10;
}
