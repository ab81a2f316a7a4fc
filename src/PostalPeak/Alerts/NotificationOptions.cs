using System.ComponentModel.DataAnnotations;
using System.Net.Mail;
using Microsoft.Extensions.Options;

namespace PostalPeak.Alerts;

/// <summary>How alert notifications leave PostalPeak: section <c>Notifications</c>.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>The delay between retries never grows beyond this, so a receiver that comes back is served within the hour.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);

    /// <summary>Its own attributes (the port's range) are checked at start too, whether or not e-mail is on.</summary>
    [ValidateObjectMembers]
    public SmtpSettings Smtp { get; set; } = new();

    /// <summary>The department's own addresses: every e-mail notification goes to them as well as to the carrier's contacts.</summary>
    public string[] DepartmentEmails { get; set; } = [];

    public List<WebhookTarget> Webhooks { get; set; } = [];

    /// <summary>Delay before the second attempt; it doubles for every attempt after that.</summary>
    [Range(1, 3600)]
    public int RetryBaseSeconds { get; set; } = 30;

    /// <summary>After this many attempts a message is <c>failed</c>: kept and listed, never deleted.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>A firing alert nobody acknowledged is notified again every this many hours.</summary>
    [Range(1, 720)]
    public int ReminderHours { get; set; } = 6;

    /// <summary>The address people reach PostalPeak at, for links in messages; no links when empty.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Hour of the day (in Jobs:TimeZone) at which the daily digest of the previous report day is sent.</summary>
    [Range(0, 23)]
    public int DigestHour { get; set; } = DigestJob.DefaultHour;

    /// <summary>When the outbox sweep runs (read in Jobs:TimeZone).</summary>
    [Required]
    public string SweepCron { get; set; } = OutboxSweepJob.DefaultCron;

    /// <summary>
    /// Without an SMTP host, e-mail is kept in the database and shown on /admin/mailbox instead of sent. The demo
    /// turns it on so that an evaluator sees the messages without a mail server.
    /// </summary>
    public bool LocalMailbox { get; set; }

    /// <summary>Mail goes to the SMTP server when one is configured, else to the local mailbox when asked for.</summary>
    public bool UsesLocalMailbox => string.IsNullOrWhiteSpace(Smtp.Host) && LocalMailbox;

    /// <summary>Without an SMTP host or the local mailbox there is no e-mail: no e-mail messages are written at all.</summary>
    public bool EmailEnabled => !string.IsNullOrWhiteSpace(Smtp.Host) || LocalMailbox;

    /// <summary>Delay before attempt n+1 after n failed attempts: base × 2^(n−1), at most an hour.</summary>
    public TimeSpan RetryDelay(int failedAttempts) => RetryDelay(RetryBaseSeconds, failedAttempts);

    public static TimeSpan RetryDelay(int baseSeconds, int failedAttempts)
    {
        // Past 2^12 the cap applies anyway; stopping there keeps the arithmetic far from overflow.
        var exponent = Math.Clamp(failedAttempts - 1, 0, 12);
        var seconds = (double)baseSeconds * (1L << exponent);
        return seconds >= MaxRetryDelay.TotalSeconds ? MaxRetryDelay : TimeSpan.FromSeconds(seconds);
    }
}

public enum SmtpSecurity
{
    /// <summary>Plain SMTP, no TLS (a relay on the same host or network).</summary>
    None,
    /// <summary>Plain connection upgraded with STARTTLS; refuses a server that does not offer it.</summary>
    StartTls,
    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,
    /// <summary>TLS on connect for port 465, STARTTLS when the server offers it otherwise.</summary>
    Auto,
}

public sealed class SmtpSettings
{
    /// <summary>Empty: e-mail is off.</summary>
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 25;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;

    /// <summary>Authenticate only when set.</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>Sender address; required when e-mail is on.</summary>
    public string? From { get; set; }

    public string FromName { get; set; } = "PostalPeak";

    /// <summary>
    /// SHA-256 fingerprint (hex, colons allowed) of a relay's own certificate, accepted even though no authority
    /// the system trusts signed it; empty: only certificates the system trusts.
    /// </summary>
    public string? CertificateSha256 { get; set; }

    /// <summary>The fingerprint's bytes, or null when none is set or it is not 32 bytes of hex (the validator says which).</summary>
    public byte[]? PinnedCertificate
    {
        get
        {
            var hex = CertificateSha256?.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
            if (string.IsNullOrEmpty(hex) || hex.Length != 64)
                return null;
            try
            {
                return Convert.FromHexString(hex);
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}

public sealed class WebhookTarget
{
    /// <summary>Stored as the message's recipient, so it must stay stable while messages for it are pending.</summary>
    public string Name { get; set; } = "";

    public string Url { get; set; } = "";

    /// <summary>Key of the HMAC-SHA256 signature; the receiver holds the same secret.</summary>
    public string Secret { get; set; } = "";
}

/// <summary>Bad notification settings stop the start, with every problem named, rather than failing at the first alert.</summary>
internal sealed class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    public const int MinSecretLength = 16;

    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        var problems = new List<string>();
        if (options.EmailEnabled && !options.UsesLocalMailbox)
        {
            if (!IsAddress(options.Smtp.From))
                problems.Add("Notifications:Smtp:From must be an e-mail address when Notifications:Smtp:Host is set.");
            if (!string.IsNullOrEmpty(options.Smtp.UserName) && options.Smtp.Password is null)
                problems.Add("Notifications:Smtp:Password is required when Notifications:Smtp:UserName is set.");
            if (!string.IsNullOrWhiteSpace(options.Smtp.CertificateSha256) && options.Smtp.PinnedCertificate is null)
                problems.Add("Notifications:Smtp:CertificateSha256 must be the 64 hex digits of a SHA-256 fingerprint (colons allowed).");
            if (options.Smtp.PinnedCertificate is not null && options.Smtp.Security == SmtpSecurity.None)
                problems.Add("Notifications:Smtp:CertificateSha256 needs TLS: Notifications:Smtp:Security is None.");
        }
        for (var i = 0; i < options.DepartmentEmails.Length; i++)
        {
            if (!IsAddress(options.DepartmentEmails[i]))
                problems.Add($"Notifications:DepartmentEmails:{i} ('{options.DepartmentEmails[i]}') is not an e-mail address.");
        }
        for (var i = 0; i < options.Webhooks.Count; i++)
        {
            var hook = options.Webhooks[i];
            if (string.IsNullOrWhiteSpace(hook.Name) || hook.Name.Length > 100)
                problems.Add($"Notifications:Webhooks:{i}:Name must be 1 to 100 characters.");
            if (!Uri.TryCreate(hook.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                problems.Add($"Notifications:Webhooks:{i}:Url must be an absolute http or https address.");
            if ((hook.Secret ?? "").Length < MinSecretLength)
                problems.Add($"Notifications:Webhooks:{i}:Secret must be at least {MinSecretLength} characters.");
        }
        var names = options.Webhooks.Select(h => h.Name).Where(n => !string.IsNullOrWhiteSpace(n)).ToList();
        if (names.Distinct(StringComparer.OrdinalIgnoreCase).Count() != names.Count)
            problems.Add("Notifications:Webhooks: every webhook needs its own Name.");
        if (!string.IsNullOrWhiteSpace(options.PublicBaseUrl)
            && (!Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var publicUrl) || (publicUrl.Scheme != Uri.UriSchemeHttp && publicUrl.Scheme != Uri.UriSchemeHttps)))
            problems.Add("Notifications:PublicBaseUrl must be an absolute http or https address.");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static bool IsAddress(string? value) =>
        !string.IsNullOrWhiteSpace(value) && MailAddress.TryCreate(value, out var address) && address.Address == value.Trim();
}
