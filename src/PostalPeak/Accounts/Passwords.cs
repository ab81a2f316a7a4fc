using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace PostalPeak.Accounts;

/// <summary>Password hashing with ASP.NET Core Identity's hasher (PBKDF2, versioned format).</summary>
public static class Passwords
{
    public const int MinimumLength = 10;
    private static readonly PasswordHasher<object> Hasher = new();
    private static readonly object User = new();

    /// <summary>
    /// Checked instead of a real hash when a name has no usable account, so that answering takes one hash check
    /// either way (made once, with the same work factor as every stored hash): timing does not tell names apart.
    /// </summary>
    public static readonly string NoAccountHash = Hasher.HashPassword(User, Generate());

    public static string Hash(string password) => Hasher.HashPassword(User, password);

    public static bool Verify(string hash, string password) =>
        Hasher.VerifyHashedPassword(User, hash, password) is PasswordVerificationResult.Success or PasswordVerificationResult.SuccessRehashNeeded;

    /// <summary>A password people can type: 16 characters without look-alikes.</summary>
    public static string Generate()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return RandomNumberGenerator.GetString(alphabet, 16);
    }

    public static string? Problem(string password) =>
        password.Length < MinimumLength ? $"at least {MinimumLength} characters" : null;
}
