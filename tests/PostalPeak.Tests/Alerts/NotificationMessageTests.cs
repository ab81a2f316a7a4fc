using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PostalPeak.Alerts;

namespace PostalPeak.Tests.Alerts;

public sealed class NotificationMessageTests
{
    [Fact]
    public void TheSignatureIsTheLowercaseHexHmacSha256OfTimestampDotBodyKeyedWithTheSecret()
    {
        var body = Encoding.UTF8.GetBytes("{\"event\":\"firing\"}");

        var signature = WebhookSender.Sign("0123456789abcdef-secret", 1767225600, body);

        // Computed independently: python3 -c "import hmac,hashlib; print(hmac.new(b'0123456789abcdef-secret',
        // b'1767225600.{\"event\":\"firing\"}', hashlib.sha256).hexdigest())"
        Assert.Equal("sha256=c4a4c323bd2dbf5f8d34b147884a884e8e13ec4b7964be50d932710a48df6322", signature);
    }

    [Fact]
    public void AnotherSecretTimestampOrBodyGivesAnotherSignature()
    {
        var body = Encoding.UTF8.GetBytes("{\"event\":\"firing\"}");
        var original = WebhookSender.Sign("0123456789abcdef-secret", 1767225600, body);

        Assert.NotEqual(original, WebhookSender.Sign("0123456789abcdef-secreT", 1767225600, body));
        Assert.NotEqual(original, WebhookSender.Sign("0123456789abcdef-secret", 1767225601, body));
        Assert.NotEqual(original, WebhookSender.Sign("0123456789abcdef-secret", 1767225600, Encoding.UTF8.GetBytes("{\"event\":\"resolved\"}")));
    }

    [Fact]
    public void RetryDelaysDoubleFromTheBaseAndStopAtOneHour()
    {
        var delays = Enumerable.Range(1, 12).Select(n => NotificationOptions.RetryDelay(30, n).TotalSeconds).ToArray();

        Assert.Equal([30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600, 3600, 3600], delays);
        Assert.Equal(TimeSpan.FromHours(1), NotificationOptions.RetryDelay(30, 1000));
        Assert.Equal([1, 2, 4], Enumerable.Range(1, 3).Select(n => new NotificationOptions { RetryBaseSeconds = 1 }.RetryDelay(n).TotalSeconds));
    }

    [Fact]
    public void WebhooksWithARelativeUrlOrAShortSecretAndEmailWithoutASenderAreRefused()
    {
        var options = new NotificationOptions
        {
            Smtp = { Host = "smtp.example" },
            Webhooks =
            [
                new WebhookTarget { Name = "a", Url = "/relative", Secret = "long-enough-secret-1" },
                new WebhookTarget { Name = "b", Url = "ftp://example.org/x", Secret = "long-enough-secret-2" },
                new WebhookTarget { Name = "c", Url = "https://example.org/x", Secret = "short" },
            ],
        };

        var result = new NotificationOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Contains(failures, f => f.Contains("Smtp:From", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Webhooks:0:Url", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Webhooks:1:Url", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("Webhooks:2:Secret", StringComparison.Ordinal));
        Assert.True(new NotificationOptionsValidator().Validate(null, new NotificationOptions()).Succeeded);
    }

    [Fact]
    public void TheEmailIsVietnameseFirstThenEnglishWithEachLanguagesNumbersAndALinkToTheAlert()
    {
        var notice = NotificationTestKit.Notice(42, "ALPHA", "email");

        var subject = AlertMessages.Subject(notice);
        var body = AlertMessages.EmailBody(notice, "https://postalpeak.example/");

        Assert.StartsWith("[PostalPeak] CẢNH BÁO: Tồn đọng cần hơn 3 ngày để giải tỏa – ALPHA · Thành phố Thanh Hóa | FIRING: Backlog needs", subject, StringComparison.Ordinal);
        var parts = body.Split(AlertMessages.EnglishSeparator);
        Assert.Equal(2, parts.Length);
        var (vietnamese, english) = (parts[0], parts[1]);
        Assert.Contains("Doanh nghiệp: Carrier ALPHA (ALPHA)", vietnamese, StringComparison.Ordinal);
        Assert.Contains("Đơn vị: Thành phố Thanh Hóa (380)", vietnamese, StringComparison.Ordinal);
        Assert.Contains("Giá trị: 1.234,67 (ngưỡng: > 3)", vietnamese, StringComparison.Ordinal);
        Assert.Contains("Bắt đầu từ ngày báo cáo: 03/02/2026", vietnamese, StringComparison.Ordinal);
        Assert.Contains("Cảnh báo từ ngày báo cáo: 04/02/2026", vietnamese, StringComparison.Ordinal);
        Assert.Contains("Mức độ: cần chú ý", vietnamese, StringComparison.Ordinal);
        Assert.Contains("Số liệu do doanh nghiệp tự báo cáo.", vietnamese, StringComparison.Ordinal);
        Assert.Contains("https://postalpeak.example/alerts/42", vietnamese, StringComparison.Ordinal);
        Assert.Contains("Carrier: Carrier ALPHA (ALPHA)", english, StringComparison.Ordinal);
        Assert.Contains("Unit: Thành phố Thanh Hóa (380)", english, StringComparison.Ordinal);
        Assert.Contains("Value: 1,234.67 (threshold: > 3)", english, StringComparison.Ordinal);
        Assert.Contains("Firing since report day: 2026-02-04", english, StringComparison.Ordinal);
        Assert.Contains("Figures are the carrier's self-report.", english, StringComparison.Ordinal);
        Assert.Contains("https://postalpeak.example/alerts/42", english, StringComparison.Ordinal);
        Assert.DoesNotContain("/alerts/", AlertMessages.EmailBody(notice, null), StringComparison.Ordinal);
    }

    [Fact]
    public void AWholeCarrierNoticeSaysSoAndAResolvedOneGivesTheDayItResolved()
    {
        var notice = NotificationTestKit.Notice(7, "ALPHA", "email") with
        {
            Kind = "resolved", UnitCode = "", UnitName = null, Value = null, ResolvedOn = new DateOnly(2026, 2, 9),
        };

        var body = AlertMessages.EmailBody(notice, null);

        Assert.StartsWith("[PostalPeak] ĐÃ KẾT THÚC: ", AlertMessages.Subject(notice), StringComparison.Ordinal);
        Assert.Contains("Đơn vị: toàn doanh nghiệp", body, StringComparison.Ordinal);
        Assert.Contains("Unit: the whole carrier", body, StringComparison.Ordinal);
        Assert.Contains("Kết thúc từ ngày báo cáo: 09/02/2026", body, StringComparison.Ordinal);
        Assert.Contains("Resolved on report day: 2026-02-09", body, StringComparison.Ordinal);
        Assert.Contains("Value: none", body, StringComparison.Ordinal);
    }

    [Fact]
    public void ThePayloadHasEveryDocumentedFieldInSnakeCaseAndNoSendTime()
    {
        var notice = NotificationTestKit.Notice(42, "ALPHA", "webhook") with { Kind = "reminder", Sequence = 2 };

        using var json = JsonDocument.Parse(AlertMessages.WebhookPayload(notice));

        var root = json.RootElement;
        Assert.Equal(["event", "sequence", "alert"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("reminder", root.GetProperty("event").GetString());
        Assert.Equal(2, root.GetProperty("sequence").GetInt32());
        var alert = root.GetProperty("alert");
        Assert.Equal(["id", "rule_code", "rule_name_vi", "rule_name_en", "severity", "metric", "comparison", "threshold", "value", "carrier_code",
            "carrier_name", "unit_code", "unit_name", "started_on", "firing_on", "resolved_on"], alert.EnumerateObject().Select(p => p.Name));
        Assert.Equal(42, alert.GetProperty("id").GetInt64());
        Assert.Equal("Tồn đọng cần hơn 3 ngày để giải tỏa", alert.GetProperty("rule_name_vi").GetString());
        Assert.Equal(1234.666, alert.GetProperty("value").GetDouble());
        Assert.Equal("2026-02-03", alert.GetProperty("started_on").GetString());
        Assert.Equal(JsonValueKind.Null, alert.GetProperty("resolved_on").ValueKind);
        Assert.DoesNotContain("sent_at", json.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheSignatureFunctionAgreesWithAPlainHmacOverTheSameBytes()
    {
        var body = Encoding.UTF8.GetBytes(AlertMessages.WebhookPayload(NotificationTestKit.Notice(1, "ALPHA", "webhook")));
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(NotificationTestKit.Secret),
            (byte[])[.. Encoding.UTF8.GetBytes("1767225600."), .. body]));

        Assert.Equal(expected, WebhookSender.Sign(NotificationTestKit.Secret, 1767225600, body));
    }
}
