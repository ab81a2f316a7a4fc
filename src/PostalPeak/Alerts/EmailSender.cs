using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Text;

namespace PostalPeak.Alerts;

/// <summary>A file sent with an e-mail (the digest's chart).</summary>
public sealed record EmailAttachment(string FileName, string ContentType, byte[] Content);

/// <summary>
/// Sends one outbox e-mail over SMTP with MailKit, or into the local mailbox when that is on and no server is
/// configured; a failure is an exception for the caller to record.
/// </summary>
public sealed class EmailSender(IOptions<NotificationOptions> options, Npgsql.NpgsqlDataSource db)
{
    /// <summary>A relay that does not answer within this is treated as down; the outbox retries later.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>A plain-text message; with an attachment, multipart/mixed with the text first.</summary>
    public async Task SendAsync(long notificationId, string recipient, string subject, string body, EmailAttachment? attachment,
        CancellationToken cancellationToken)
    {
        if (options.Value.UsesLocalMailbox)
        {
            await LocalMailbox.KeepAsync(db, notificationId, recipient, subject, body, attachment, cancellationToken);
            return;
        }
        var smtp = options.Value.Smtp;
        if (string.IsNullOrWhiteSpace(smtp.Host) || smtp.From is null)
            throw new InvalidOperationException("E-mail is off: Notifications:Smtp:Host is empty.");

        using var message = new MimeMessage();
        message.From.Add(new MailboxAddress(smtp.FromName, smtp.From));
        message.To.Add(MailboxAddress.Parse(recipient));
        message.Subject = subject;
        // The same id on every attempt lets a mail system (and a person) recognise a message sent twice.
        message.MessageId = $"notification-{notificationId.ToString(CultureInfo.InvariantCulture)}@postalpeak";
        message.Headers.Add("X-PostalPeak-Delivery", notificationId.ToString(CultureInfo.InvariantCulture));
        if (attachment is null)
            message.Body = new TextPart(TextFormat.Plain) { Text = body };
        else
        {
            var builder = new BodyBuilder { TextBody = body };
            builder.Attachments.Add(attachment.FileName, attachment.Content, ContentType.Parse(attachment.ContentType));
            message.Body = builder.ToMessageBody();
        }

        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        if (smtp.PinnedCertificate is { } pinned)
            client.ServerCertificateValidationCallback = (_, certificate, _, errors) => errors == SslPolicyErrors.None || IsPinned(certificate, pinned);
        await client.ConnectAsync(smtp.Host, smtp.Port, Security(smtp.Security), cancellationToken);
        if (!string.IsNullOrEmpty(smtp.UserName))
            await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", cancellationToken);
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
    }

    /// <summary>
    /// A department relay often has its own self-signed certificate: accepting exactly that certificate (by its SHA-256
    /// fingerprint) keeps TLS meaningful where turning validation off would not.
    /// </summary>
    private static bool IsPinned(X509Certificate? certificate, byte[] pinned)
        => certificate is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(certificate.GetRawCertData()), pinned);

    private static SecureSocketOptions Security(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };
}
