using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;

namespace PostalPeak.Tests.Alerts;

/// <summary>
/// The whole chain in the real executable: a carrier's file through the API, processing, the indicator
/// refresh and the alert evaluation as Hangfire continuations, the outbox, and a signed webhook arriving at
/// a real HTTP listener.
/// </summary>
public sealed class AlertEndToEndTests
{
    [Fact]
    public async Task AnUploadWithLostParcelsReachesTheDepartmentsWebhookOnceSigned()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await using var served = await ServedApp.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__PostalPeak"] = app.ConnectionString,
            ["Notifications__Webhooks__0__Name"] = "department",
            ["Notifications__Webhooks__0__Url"] = receiver.Url.ToString(),
            ["Notifications__Webhooks__0__Secret"] = NotificationTestKit.Secret,
        });
        using var client = served.Client(await app.CreateTokenAsync("ALPHA"));
        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);

        using var body = new StringContent($"report_date,unit_code,received,delivered,lost\n{yesterday:yyyy-MM-dd},14758,1200,1100,12\n", Encoding.UTF8);
        body.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var response = await client.PostAsync("/api/v1/uploads", body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        for (var wait = 0; wait < 300 && receiver.Calls.IsEmpty; wait++)
            await Task.Delay(100);

        var call = Assert.Single(receiver.Calls);
        var timestamp = call.Headers["X-PostalPeak-Timestamp"];
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(NotificationTestKit.Secret),
            Encoding.UTF8.GetBytes(timestamp + ".").Concat(call.Body).ToArray()));
        Assert.Equal(expected, call.Headers["X-PostalPeak-Signature"]);
        var payload = JsonDocument.Parse(call.Body).RootElement;
        Assert.Equal("firing", payload.GetProperty("event").GetString());
        var alert = payload.GetProperty("alert");
        Assert.Equal(("lost_parcels", "ALPHA", "14758"), (alert.GetProperty("rule_code").GetString(), alert.GetProperty("carrier_code").GetString(), alert.GetProperty("unit_code").GetString()));
        Assert.Equal(yesterday.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), alert.GetProperty("firing_on").GetString());

        // The same file again is a duplicate: nothing new is evaluated into a second message.
        using var again = new StringContent($"report_date,unit_code,received,delivered,lost\n{yesterday:yyyy-MM-dd},14758,1200,1100,12\n", Encoding.UTF8);
        again.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/api/v1/uploads", again)).StatusCode);
        await Task.Delay(3000);
        Assert.Single(receiver.Calls);
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(1, await connection.QuerySingleAsync<long>("select count(*) from notification where channel = 'webhook' and status = 'sent'"));
    }
}
