using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace PostalPeak.Accounts;

/// <summary>Password hashing with ASP.NET Core Identity's hasher (PBKDF2, versioned format).</summary>
public static class Passwords
{
    public const int MinimumLength = 10;
    private static readonly PasswordHasher<object> Hasher = new();
    private static readonly object User = new();

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
