using System.Text;
using System.Text.Json;
using Dapper;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace PostalPeak.Tests.Ingestion;

/// <summary>
/// One carrier's flood never starves another: past <c>Ingestion:MaxQueuedPerCarrier</c> waiting files a carrier's
/// uploads are refused (429, nothing stored), so another carrier's file waits behind at most that many of the
/// flood's files; with the default of 50, at the 50-200 ms a file takes, seconds rather than the flood's minutes.
/// </summary>
public sealed class QueueFairnessTests
{
    private const int Cap = 5;

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Ingestion:MaxQueuedPerCarrier"] = Cap.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Ingestion:UploadsPerMinute"] = "10000",
    };

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, int day) =>
        client.PostAsync("/api/v1/uploads", new StringContent(
            $"report_date,unit_code,received,delivered\n2023-01-{day:00},380,{day},1\n", Encoding.UTF8, "text/csv"));

    [Fact]
    public async Task AFloodPastTheCapIsRefusedWithoutStoringAndAnotherCarrierWaitsBehindAtMostTheCap()
    {
        await using var app = await TestApp.StartAsync(settings: Settings);
        await app.AddCarrierAsync("ALPHA");
        await app.AddCarrierAsync("BETA");
        using var alpha = app.Client(await app.CreateTokenAsync("ALPHA"));
        using var beta = app.Client(await app.CreateTokenAsync("BETA"));

        var flood = new List<HttpResponseMessage>();
        for (var day = 1; day <= 25; day++)
            flood.Add(await SendAsync(alpha, day));
        var single = await SendAsync(beta, 1);

        Assert.Equal(Cap, flood.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        var refused = flood.Where(r => r.StatusCode != HttpStatusCode.Accepted).ToList();
        Assert.All(refused, r => Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode));
        Assert.All(refused, r => Assert.NotNull(r.Headers.RetryAfter));
        var problem = await refused[0].Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("queue_full", problem.GetProperty("code").GetString());
        Assert.Contains("CHƯA được nhận", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, single.StatusCode);

        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(Cap, await connection.QuerySingleAsync<long>("select count(*) from upload u join carrier c on c.id = u.carrier_id where c.code = 'ALPHA'"));
        // The queue is first in, first out: what stands before BETA's file is what it waits for.
        var queue = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi().EnqueuedJobs("default", 0, 100);
        Assert.Equal(Cap + 1, queue.Count);
    }

    [Collection(JobServers.Name)]
    public sealed class WithAJobServer
    {
        [Fact]
        public async Task AnotherCarriersFileFinishesBeforeMoreThanTheCapOfTheFloodHas()
        {
            await using var app = await TestApp.StartAsync(runJobs: true, Settings);
            await app.AddCarrierAsync("ALPHA");
            await app.AddCarrierAsync("BETA");
            using var alpha = app.Client(await app.CreateTokenAsync("ALPHA"));
            using var beta = app.Client(await app.CreateTokenAsync("BETA"));

            for (var day = 1; day <= 20; day++)
                await SendAsync(alpha, day);
            var single = await SendAsync(beta, 1);
            Assert.Equal(HttpStatusCode.Accepted, single.StatusCode);
            var detail = await UploadResults.WaitAsync(beta, single.Headers.Location!);

            Assert.Equal("accepted", detail.GetProperty("upload").GetProperty("status").GetString());
            await using var connection = await app.Db.OpenConnectionAsync();
            // Of the flood, only what was already waiting when BETA's file arrived can have gone first.
            var waitingBefore = await connection.QuerySingleAsync<long>("""
                select count(*) from upload a join carrier c on c.id = a.carrier_id, upload b
                where c.code = 'ALPHA' and b.id = @id and a.received_at < b.received_at and a.finished_at > b.received_at
                """, new { id = detail.GetProperty("upload").GetProperty("id").GetInt64() });
            Assert.True(waitingBefore <= Cap, $"{waitingBefore} of the flood's files were waiting before BETA's");
        }
    }
}
