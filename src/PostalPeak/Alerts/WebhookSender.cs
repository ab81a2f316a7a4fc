using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace PostalPeak.Alerts;

/// <summary>
/// POSTs one outbox payload to a configured webhook, signed with HMAC-SHA256 over "timestamp.body" so the
/// receiver can check that it came from PostalPeak and is recent. Any answer other than 2xx is a failure.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, IOptions<NotificationOptions> options, TimeProvider clock)
{
    public const string ClientName = "notifications.webhook";
    public const string TimestampHeader = "X-PostalPeak-Timestamp";
    public const string SignatureHeader = "X-PostalPeak-Signature";
    public const string DeliveryHeader = "X-PostalPeak-Delivery";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task SendAsync(long notificationId, string webhookName, string body, CancellationToken cancellationToken)
    {
        // Looked up at send time: a rotated secret or moved URL applies to messages already waiting.
        var hook = options.Value.Webhooks.FirstOrDefault(h => string.Equals(h.Name, webhookName, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"No webhook named '{webhookName}' is configured (Notifications:Webhooks).");
        var bytes = Encoding.UTF8.GetBytes(body);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(hook.Url)) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(SignatureHeader, Sign(hook.Secret, timestamp, bytes));
        request.Headers.Add(DeliveryHeader, notificationId.ToString(CultureInfo.InvariantCulture));

        using var response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var answer = await response.Content.ReadAsStringAsync(cancellationToken);
            if (answer.Length > 300)
                answer = answer[..300] + "…";
            throw new HttpRequestException(
                $"{hook.Url} answered {(int)response.StatusCode} {response.ReasonPhrase}{(answer.Length > 0 ? ": " + answer : "")}",
                null, response.StatusCode);
        }
    }

    /// <summary>"sha256=" and the lowercase hex HMAC-SHA256, keyed with the secret, of "&lt;timestamp&gt;.&lt;body bytes&gt;".</summary>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
