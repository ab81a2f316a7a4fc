using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PostalPeak.Alerts;

namespace PostalPeak.Tests.Alerts;

/// <summary>
/// E-mail to a relay that wants TLS and a login, as a department's mail server does: a real SMTP server in the test
/// process with its own self-signed certificate.
/// </summary>
public sealed class SecureSmtpTests
{
    private const string User = "canhbao";
    private const string Password = "mật-khẩu-relay-2027";

    [Fact]
    public async Task AMessageReachesARelayThatWantsStartTlsAndALoginWhenItsCertificateIsPinned()
    {
        using var certificate = SelfSignedCertificate();
        await using var smtp = await SmtpTestServer.StartAsync(certificate, login: (User, Password));

        var (row, _) = await DeliverOneAsync(smtp, Settings(smtp, "StartTls", Fingerprint(certificate), Password));

        Assert.Equal(("sent", 1), (row.Status, row.Attempts));
        Assert.Equal([User], smtp.SignedIn);
        var (to, message) = Assert.Single(smtp.Messages);
        Assert.Equal(["ops@alpha.example"], to);
        Assert.Contains("Carrier ALPHA", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMessageReachesARelayThatSpeaksTlsFromTheFirstByte()
    {
        using var certificate = SelfSignedCertificate();
        await using var smtp = await SmtpTestServer.StartAsync(certificate, tlsOnConnect: true, login: (User, Password));

        // Colons and lower case, as openssl and browsers print a fingerprint.
        var fingerprint = string.Join(':', Convert.ToHexString(SHA256.HashData(certificate.RawData)).Chunk(2).Select(c => new string(c))).ToLowerInvariant();
        var (row, _) = await DeliverOneAsync(smtp, Settings(smtp, "SslOnConnect", fingerprint, Password));

        Assert.Equal("sent", row.Status);
        Assert.Single(smtp.Messages);
    }

    [Fact]
    public async Task ARelayWhoseCertificateNobodyTrustsGetsNothingAndTheAttemptSaysWhy()
    {
        using var certificate = SelfSignedCertificate();
        using var other = SelfSignedCertificate();
        await using var smtp = await SmtpTestServer.StartAsync(certificate, login: (User, Password));

        var (unpinned, unpinnedAttempts) = await DeliverOneAsync(smtp, Settings(smtp, "StartTls", null, Password));
        var (wrongPin, _) = await DeliverOneAsync(smtp, Settings(smtp, "StartTls", Fingerprint(other), Password));

        foreach (var row in new[] { unpinned, wrongPin })
        {
            Assert.Equal(("pending", 1), (row.Status, row.Attempts));
            Assert.Contains("certificate", row.LastError, StringComparison.OrdinalIgnoreCase);
        }
        Assert.False(Assert.Single(unpinnedAttempts).Succeeded);
        Assert.Empty(smtp.SignedIn); // the password never left the client
        Assert.Empty(smtp.Messages);
    }

    [Fact]
    public async Task AWrongPasswordIsRecordedAsTheAttemptsErrorAndNothingIsSent()
    {
        using var certificate = SelfSignedCertificate();
        await using var smtp = await SmtpTestServer.StartAsync(certificate, login: (User, Password));

        var (row, attempts) = await DeliverOneAsync(smtp, Settings(smtp, "StartTls", Fingerprint(certificate), "sai-mat-khau"));

        Assert.Equal(("pending", 1), (row.Status, row.Attempts));
        Assert.Contains("auth", row.LastError, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(row.LastError, Assert.Single(attempts).Error);
        Assert.Empty(smtp.Messages);
    }

    [Fact]
    public void AFingerprintThatIsNotSha256OrThatHasNoTlsToPinStopsTheStart()
    {
        var validator = new NotificationOptionsValidator();
        NotificationOptions Options(string fingerprint, SmtpSecurity security) => new()
        {
            Smtp = { Host = "smtp.example", From = "canhbao@sokhcn.example", CertificateSha256 = fingerprint, Security = security },
        };
        var sha256 = new string('a', 64);

        Assert.Contains(validator.Validate(null, Options("AB:CD:EF", SmtpSecurity.StartTls)).Failures!, f => f.Contains("64 hex digits", StringComparison.Ordinal));
        Assert.Contains(validator.Validate(null, Options(new string('z', 64), SmtpSecurity.Auto)).Failures!, f => f.Contains("CertificateSha256", StringComparison.Ordinal));
        Assert.Contains(validator.Validate(null, Options(sha256, SmtpSecurity.None)).Failures!, f => f.Contains("needs TLS", StringComparison.Ordinal));
        Assert.True(validator.Validate(null, Options(sha256, SmtpSecurity.StartTls)).Succeeded);
    }

    private static Dictionary<string, string?> Settings(SmtpTestServer smtp, string security, string? fingerprint, string password) => new()
    {
        ["Notifications:Smtp:Host"] = "127.0.0.1",
        ["Notifications:Smtp:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
        ["Notifications:Smtp:Security"] = security,
        ["Notifications:Smtp:UserName"] = User,
        ["Notifications:Smtp:Password"] = password,
        ["Notifications:Smtp:CertificateSha256"] = fingerprint,
        ["Notifications:Smtp:From"] = "canhbao@sokhcn.example",
    };

    /// <summary>One alert e-mail to the carrier's contact, delivered once by the outbox job.</summary>
    private static async Task<(NotificationTestKit.Row Row, IReadOnlyList<NotificationTestKit.Attempt> Attempts)> DeliverOneAsync(
        SmtpTestServer smtp, Dictionary<string, string?> settings)
    {
        await using var app = await TestApp.StartAsync(settings: settings);
        await app.AddCarrierAsync("ALPHA"); // contact: ops@alpha.example
        var alertId = await NotificationTestKit.InsertAlertAsync(app.Db, "ALPHA");
        var options = app.Services.GetRequiredService<IOptions<NotificationOptions>>().Value;
        var id = Assert.Single(await NotificationTestKit.AddToOutboxAsync(app.Db, NotificationTestKit.Notice(alertId, "ALPHA", "email"), options));

        await app.Services.GetRequiredService<NotificationDelivery>().DeliverAsync(id, CancellationToken.None);

        return (await NotificationTestKit.RowAsync(app.Db, id), await NotificationTestKit.AttemptsAsync(app.Db, id));
    }

    private static string Fingerprint(X509Certificate2 certificate) => Convert.ToHexString(SHA256.HashData(certificate.RawData));

    private static X509Certificate2 SelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        // SslStream on Linux wants a certificate whose key came from a PKCS#12 store, not an ephemeral one.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }
}
