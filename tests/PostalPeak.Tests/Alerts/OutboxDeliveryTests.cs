using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PostalPeak.Accounts;
using PostalPeak.Alerts;

namespace PostalPeak.Tests.Alerts;

/// <summary>The outbox written and delivered in the test process, against a real SMTP server and a real HTTP receiver.</summary>
public sealed class OutboxDeliveryTests
{
    private static Dictionary<string, string?> Email(SmtpTestServer smtp) => new()
    {
        ["Notifications:Smtp:Host"] = "127.0.0.1",
        ["Notifications:Smtp:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
        ["Notifications:Smtp:Security"] = "None",
        ["Notifications:Smtp:From"] = "canhbao@sokhcn.example",
        ["Notifications:DepartmentEmails:0"] = "giamsat@sokhcn.example",
        // The carrier's own contact again, spelled differently: one message, not two.
        ["Notifications:DepartmentEmails:1"] = "OPS@alpha.example",
    };

    private static Dictionary<string, string?> Webhook(Uri url) => new()
    {
        ["Notifications:Webhooks:0:Name"] = "ops-center",
        ["Notifications:Webhooks:0:Url"] = url.ToString(),
        ["Notifications:Webhooks:0:Secret"] = NotificationTestKit.Secret,
    };

    [Fact]
    public async Task AnAlertNoticeArrivesByEmailOnceForEachRecipientWithItsVietnameseAndEnglishParts()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        await using var app = await TestApp.StartAsync(settings: Email(smtp));
        await app.AddCarrierAsync("ALPHA"); // contact: ops@alpha.example
        var alertId = await NotificationTestKit.InsertAlertAsync(app.Db, "ALPHA");
        var notice = NotificationTestKit.Notice(alertId, "ALPHA", "email");
        var options = app.Services.GetRequiredService<IOptions<NotificationOptions>>().Value;

        var ids = await NotificationTestKit.AddToOutboxAsync(app.Db, notice, options);
        var delivery = app.Services.GetRequiredService<NotificationDelivery>();
        foreach (var id in ids)
        {
            await delivery.DeliverAsync(id, CancellationToken.None);
            await delivery.DeliverAsync(id, CancellationToken.None); // a second run of the job sends nothing
        }

        Assert.Equal(2, ids.Count);
        var received = smtp.Messages;
        Assert.Equal(["giamsat@sokhcn.example", "ops@alpha.example"], received.SelectMany(m => m.To).Order(StringComparer.Ordinal));
        foreach (var (to, message) in received)
        {
            Assert.Equal(to.Single(), message.To.Mailboxes.Single().Address);
            Assert.Equal("canhbao@sokhcn.example", message.From.Mailboxes.Single().Address);
            Assert.Equal("PostalPeak", message.From.Mailboxes.Single().Name);
            Assert.Equal(AlertMessages.Subject(notice), message.Subject);
            var text = (message.TextBody ?? "").ReplaceLineEndings("\n");
            var separator = text.IndexOf(AlertMessages.EnglishSeparator, StringComparison.Ordinal);
            Assert.True(separator > 0, text);
            Assert.Contains("Doanh nghiệp: Carrier ALPHA (ALPHA)", text[..separator], StringComparison.Ordinal);
            Assert.Contains("Giá trị: 1.234,67", text[..separator], StringComparison.Ordinal);
            Assert.Contains("Carrier: Carrier ALPHA (ALPHA)", text[separator..], StringComparison.Ordinal);
            Assert.Contains("Value: 1,234.67", text[separator..], StringComparison.Ordinal);
        }
        foreach (var id in ids)
        {
            var row = await NotificationTestKit.RowAsync(app.Db, id);
            Assert.Equal(("sent", 1), (row.Status, row.Attempts));
            Assert.NotNull(row.SentAt);
            Assert.True(Assert.Single(await NotificationTestKit.AttemptsAsync(app.Db, id)).Succeeded);
        }
    }

    [Fact]
    public async Task WritingTheSameNoticeTwiceInsertsNothingTheSecondTime()
    {
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Notifications:Smtp:Host"] = "127.0.0.1",
            ["Notifications:Smtp:From"] = "canhbao@sokhcn.example",
            ["Notifications:Webhooks:0:Name"] = "ops-center",
            ["Notifications:Webhooks:0:Url"] = "http://127.0.0.1:9/hook",
            ["Notifications:Webhooks:0:Secret"] = NotificationTestKit.Secret,
        });
        await app.AddCarrierAsync("ALPHA");
        var alertId = await NotificationTestKit.InsertAlertAsync(app.Db, "ALPHA");
        var options = app.Services.GetRequiredService<IOptions<NotificationOptions>>().Value;
        var notice = NotificationTestKit.Notice(alertId, "ALPHA", "email", "webhook");

        var first = await NotificationTestKit.AddToOutboxAsync(app.Db, notice, options);
        var second = await NotificationTestKit.AddToOutboxAsync(app.Db, notice, options);
        var reminder = await NotificationTestKit.AddToOutboxAsync(app.Db, notice with { Kind = "reminder", Sequence = 1 }, options);

        Assert.Equal(2, first.Count); // ops@alpha.example by e-mail, ops-center by webhook
        Assert.Empty(second);
        Assert.Equal(2, reminder.Count);
        Assert.Equal(4, await NotificationTestKit.CountAsync(app.Db));
    }

    [Fact]
    public async Task WithoutAnSmtpHostNoEmailMessageIsWritten()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        var alertId = await NotificationTestKit.InsertAlertAsync(app.Db, "ALPHA");
        var options = app.Services.GetRequiredService<IOptions<NotificationOptions>>().Value;

        var ids = await NotificationTestKit.AddToOutboxAsync(app.Db, NotificationTestKit.Notice(alertId, "ALPHA", "email", "webhook"), options);

        Assert.Empty(ids);
        Assert.Equal(0, await NotificationTestKit.CountAsync(app.Db));
    }

    [Fact]
    public async Task AWebhookArrivesWithASignatureThatVerifiesARecentTimestampAndTheStoredPayload()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var app = await TestApp.StartAsync(settings: Webhook(receiver.Url));
        await app.AddCarrierAsync("ALPHA");
        var alertId = await NotificationTestKit.InsertAlertAsync(app.Db, "ALPHA");
        var options = app.Services.GetRequiredService<IOptions<NotificationOptions>>().Value;

        var id = Assert.Single(await NotificationTestKit.AddToOutboxAsync(app.Db, NotificationTestKit.Notice(alertId, "ALPHA", "webhook"), options));
        await app.Services.GetRequiredService<NotificationDelivery>().DeliverAsync(id, CancellationToken.None);

        var call = Assert.Single(receiver.Calls);
        var row = await NotificationTestKit.RowAsync(app.Db, id);
        Assert.Equal(("webhook", "ops-center", "sent"), (row.Channel, row.Recipient, row.Status));
        // The body is exactly the stored message, and the same document as the stored payload.
        Assert.Equal(Encoding.UTF8.GetBytes(row.Body), call.Body);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(row.Payload), JsonNode.Parse(call.Body)));
        Assert.StartsWith("application/json", call.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal(id.ToString(CultureInfo.InvariantCulture), call.Headers["X-PostalPeak-Delivery"]);
        // Verified the way a receiver would, without PostalPeak's code.
        var timestamp = long.Parse(call.Headers["X-PostalPeak-Timestamp"], CultureInfo.InvariantCulture);
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp, -60, 60);
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(NotificationTestKit.Secret),
            (byte[])[.. Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "."), .. call.Body]));
        Assert.Equal(expected, call.Headers["X-PostalPeak-Signature"]);
        var payload = JsonNode.Parse(call.Body)!;
        Assert.Equal("firing", (string?)payload["event"]);
        Assert.Equal(alertId, (long?)payload["alert"]!["id"]);
        Assert.Equal("Thành phố Thanh Hóa", (string?)payload["alert"]!["unit_name"]);
    }

    [Fact]
    public async Task AFailedWebhookCallIsRecordedAndScheduledAgainWithoutThrowing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => 503;
        await using var app = await TestApp.StartAsync(settings: Webhook(receiver.Url));
        await app.AddCarrierAsync("ALPHA");
        var alertId = await NotificationTestKit.InsertAlertAsync(app.Db, "ALPHA");
        var options = app.Services.GetRequiredService<IOptions<NotificationOptions>>().Value;
        var id = Assert.Single(await NotificationTestKit.AddToOutboxAsync(app.Db, NotificationTestKit.Notice(alertId, "ALPHA", "webhook"), options));

        await app.Services.GetRequiredService<NotificationDelivery>().DeliverAsync(id, CancellationToken.None);
        // Not due yet: running the job again at once neither sends nor counts an attempt.
        await app.Services.GetRequiredService<NotificationDelivery>().DeliverAsync(id, CancellationToken.None);

        var row = await NotificationTestKit.RowAsync(app.Db, id);
        Assert.Equal(("pending", 1), (row.Status, row.Attempts));
        Assert.Contains("503", row.LastError, StringComparison.Ordinal);
        var attempt = Assert.Single(await NotificationTestKit.AttemptsAsync(app.Db, id));
        Assert.False(attempt.Succeeded);
        Assert.Single(receiver.Calls);
        await using var connection = await app.Db.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"select extract(epoch from next_attempt_at - now()) from notification where id = {id}";
        Assert.InRange(Convert.ToDouble(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture), 20, 31); // RetryBaseSeconds = 30
    }

    [Fact]
    public async Task TheRetryApiIsForAdministratorsWithTheAntiforgeryHeaderAndOnlyForFailedMessages()
    {
        await using var app = await TestApp.StartAsync(settings: Webhook(new Uri("http://127.0.0.1:9/hook")));
        await app.AddCarrierAsync("ALPHA");
        await app.AddUserAsync("admin", Roles.Admin);
        await app.AddUserAsync("analyst", Roles.Analyst);
        var alertId = await NotificationTestKit.InsertAlertAsync(app.Db, "ALPHA");
        var options = app.Services.GetRequiredService<IOptions<NotificationOptions>>().Value;
        var id = Assert.Single(await NotificationTestKit.AddToOutboxAsync(app.Db, NotificationTestKit.Notice(alertId, "ALPHA", "webhook"), options));
        await using (var command = app.Db.CreateCommand($"update notification set status = 'failed', attempts = 10, last_error = 'down' where id = {id}"))
            await command.ExecuteNonQueryAsync();
        using var admin = await app.SignedInClientAsync("admin");
        using var analyst = await app.SignedInClientAsync("analyst");
        var token = await TestApp.AntiforgeryTokenAsync(admin, "/admin/notifications");

        var listed = await admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/notifications?status=failed");
        var withoutToken = await admin.PostAsync($"/api/v1/notifications/{id}/retry", null);
        var byAnalyst = await analyst.PostAsync($"/api/v1/notifications/{id}/retry", null);
        using var retry = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/notifications/{id}/retry");
        retry.Headers.Add("X-CSRF-TOKEN", token);
        var retried = await admin.SendAsync(retry);
        using var again = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/notifications/{id}/retry");
        again.Headers.Add("X-CSRF-TOKEN", token);
        var retriedAgain = await admin.SendAsync(again);

        var message = Assert.Single(listed.EnumerateArray());
        Assert.Equal(id, message.GetProperty("id").GetInt64());
        Assert.Equal("down", message.GetProperty("last_error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byAnalyst.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, retriedAgain.StatusCode);
        Assert.Equal("pending", (await NotificationTestKit.RowAsync(app.Db, id)).Status);
        Assert.Equal(1, await app.CountAuditAsync("notification.retry"));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/v1/notifications?status=lost")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync("/api/v1/notifications")).StatusCode);
        var page = await analyst.GetAsync("/admin/notifications");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/account/denied", page.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }
    [Fact]
    public async Task TheSweepQueuesOnlyPendingMessagesLeftOverdueAndIsScheduledEveryMinute()
    {
        await using var app = await TestApp.StartAsync(settings: Webhook(new Uri("http://127.0.0.1:9/hook")));
        await app.AddCarrierAsync("ALPHA");
        var alertId = await NotificationTestKit.InsertAlertAsync(app.Db, "ALPHA");
        var options = app.Services.GetRequiredService<IOptions<NotificationOptions>>().Value;
        var overdue = Assert.Single(await NotificationTestKit.AddToOutboxAsync(app.Db, NotificationTestKit.Notice(alertId, "ALPHA", "webhook"), options));
        var fresh = Assert.Single(await NotificationTestKit.AddToOutboxAsync(app.Db, NotificationTestKit.Notice(alertId, "ALPHA", "webhook") with { Kind = "resolved" }, options));
        var failed = Assert.Single(await NotificationTestKit.AddToOutboxAsync(app.Db, NotificationTestKit.Notice(alertId, "ALPHA", "webhook") with { Kind = "reminder", Sequence = 1 }, options));
        await using (var command = app.Db.CreateCommand($"""
            update notification set next_attempt_at = now() - interval '2 minutes' where id in ({overdue}, {failed});
            update notification set status = 'failed' where id = {failed};
            """))
            await command.ExecuteNonQueryAsync();
        var storage = app.Services.GetRequiredService<Hangfire.JobStorage>();
        var queuedBefore = storage.GetMonitoringApi().EnqueuedCount("default");

        var queued = await app.Services.GetRequiredService<OutboxSweepJob>().RunAsync(CancellationToken.None);

        Assert.Equal(1, queued);
        Assert.Equal(queuedBefore + 1, storage.GetMonitoringApi().EnqueuedCount("default"));
        using var connection = storage.GetConnection();
        var sweep = Assert.Single(Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection), j => j.Id == OutboxSweepJob.Id);
        Assert.Equal(("* * * * *", "Asia/Ho_Chi_Minh"), (sweep.Cron, sweep.TimeZoneId));
    }
}
