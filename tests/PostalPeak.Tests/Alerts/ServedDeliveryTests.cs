using System.Globalization;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PostalPeak.Accounts;
using PostalPeak.Alerts;

namespace PostalPeak.Tests.Alerts;

/// <summary>
/// Retries done by the real Hangfire server of the real executable. The test writes the outbox rows and
/// queues their delivery into the shared Hangfire storage (the same database), as a second serve instance
/// would; the served process runs the delivery job and schedules its own retries. RetryBaseSeconds = 1 and a
/// one-second schedule poll keep the backoff 1 s, 2 s, 4 s, … instead of 30 s, 60 s, ….
/// </summary>
public sealed class ServedDeliveryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    private static Dictionary<string, string?> Webhook(Uri url) => new()
    {
        ["Notifications:Webhooks:0:Name"] = "ops-center",
        ["Notifications:Webhooks:0:Url"] = url.ToString(),
        ["Notifications:Webhooks:0:Secret"] = NotificationTestKit.Secret,
    };

    private static Dictionary<string, string> Environment(TestApp app, Uri url, int maxAttempts) => new()
    {
        ["ConnectionStrings__PostalPeak"] = app.ConnectionString,
        ["Jobs__SchedulePollingInterval"] = "00:00:01",
        ["Notifications__RetryBaseSeconds"] = "1",
        ["Notifications__MaxAttempts"] = maxAttempts.ToString(CultureInfo.InvariantCulture),
        ["Notifications__Webhooks__0__Name"] = "ops-center",
        ["Notifications__Webhooks__0__Url"] = url.ToString(),
        ["Notifications__Webhooks__0__Secret"] = NotificationTestKit.Secret,
    };

    private static async Task<long> WriteAndDispatchAsync(TestApp app)
    {
        await app.AddCarrierAsync("ALPHA");
        var alertId = await NotificationTestKit.InsertAlertAsync(app.Db, "ALPHA");
        var options = app.Services.GetRequiredService<IOptions<NotificationOptions>>().Value;
        var id = Assert.Single(await NotificationTestKit.AddToOutboxAsync(app.Db, NotificationTestKit.Notice(alertId, "ALPHA", "webhook"), options));
        Outbox.Dispatch(app.Services.GetRequiredService<IBackgroundJobClient>(), [id]);
        return id;
    }

    [Fact]
    public async Task AReceiverThatFailsThreeTimesGetsTheMessageExactlyOnceOnTheFourthAttempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = call => call <= 3 ? 500 : 200;
        await using var app = await TestApp.StartAsync(settings: Webhook(receiver.Url));
        await using var served = await ServedApp.StartAsync(Environment(app, receiver.Url, maxAttempts: 10));

        var id = await WriteAndDispatchAsync(app);
        var row = await NotificationTestKit.WaitForStatusAsync(app.Db, id, "sent", Patience);

        Assert.Equal(4, row.Attempts);
        Assert.Null(row.LastError);
        var attempts = await NotificationTestKit.AttemptsAsync(app.Db, id);
        Assert.Equal([1, 2, 3, 4], attempts.Select(a => a.Number));
        Assert.Equal([false, false, false, true], attempts.Select(a => a.Succeeded));
        Assert.All(attempts.Take(3), a => Assert.Contains("500", a.Error, StringComparison.Ordinal));
        var calls = receiver.Calls.ToList();
        Assert.Equal([500, 500, 500, 200], calls.Select(c => c.Answered));
        Assert.Single(calls, c => c.Answered == 200);
        // Every attempt is the same delivery: a receiver de-duplicates on this header.
        Assert.All(calls, c => Assert.Equal(id.ToString(CultureInfo.InvariantCulture), c.Headers["X-PostalPeak-Delivery"]));
        // The backoff doubles: 1 s, 2 s, 4 s between attempts. Hangfire keeps due times in whole seconds, so a
        // scheduled attempt may start up to a second early, and up to a poll late.
        var gaps = calls.Zip(calls.Skip(1), (a, b) => (b.At - a.At).TotalSeconds).ToList();
        Assert.True(gaps[1] >= 1 && gaps[2] >= 3 && gaps[2] > gaps[0], string.Join(", ", gaps));
    }

    [Fact]
    public async Task AMessageThatAlwaysFailsEndsFailedStaysListedAndIsDeliveredAfterAnAdministratorsRetry()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => 502;
        await using var app = await TestApp.StartAsync(settings: Webhook(receiver.Url));
        await app.AddUserAsync("admin", Roles.Admin);
        await using var served = await ServedApp.StartAsync(Environment(app, receiver.Url, maxAttempts: 3));

        var id = await WriteAndDispatchAsync(app);
        var failed = await NotificationTestKit.WaitForStatusAsync(app.Db, id, "failed", Patience);

        Assert.Equal(3, failed.Attempts);
        Assert.Contains("502", failed.LastError, StringComparison.Ordinal);
        Assert.Equal(3, (await NotificationTestKit.AttemptsAsync(app.Db, id)).Count(a => !a.Succeeded));
        // Nothing more happens by itself: failed is final until someone retries.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(3, receiver.Calls.Count);

        using var client = served.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await TestApp.SignInAsync(client, "admin", TestApp.Password)).StatusCode);
        var page = await client.GetStringAsync("/admin/notifications?status=failed");
        Assert.Contains($"data-id=\"{id}\" data-status=\"failed\"", page, StringComparison.Ordinal);
        Assert.Contains("data-test=\"retry\"", page, StringComparison.Ordinal);

        receiver.Answer = _ => 200; // the receiver is back
        var token = await TestApp.AntiforgeryTokenAsync(client, "/admin/notifications?status=failed");
        var retried = await client.PostAsync($"/admin/notifications?handler=Retry&id={id}&status=failed",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var sent = await NotificationTestKit.WaitForStatusAsync(app.Db, id, "sent", Patience);

        Assert.Equal(4, sent.Attempts);
        Assert.Equal([false, false, false, true], (await NotificationTestKit.AttemptsAsync(app.Db, id)).Select(a => a.Succeeded));
        Assert.Equal(1, await app.CountAuditAsync("notification.retry"));
        Assert.Contains($"data-id=\"{id}\" data-status=\"sent\"", await client.GetStringAsync("/admin/notifications"), StringComparison.Ordinal);
    }
}
