using System.Text;
using Dapper;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Audit;
using PostalPeak.Ingestion;

namespace PostalPeak.Tests.Ingestion;

/// <summary>What a crash leaves behind is picked up, and what is still on its way is left alone.</summary>
public sealed class ResumeTests
{
    private const string Csv = "report_date,unit_code,received,delivered,backlog\n2023-01-10,380,100,90,10\n";

    private static async Task<long> SendAsync(HttpClient client)
    {
        using var content = new StringContent(Csv, Encoding.UTF8, "text/csv");
        var response = await client.PostAsync("/api/v1/uploads", content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Upload>(new System.Text.Json.JsonSerializerOptions { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower }))!.Id;
    }

    private static async Task AgeAsync(TestApp app, long id)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        await connection.ExecuteAsync("update upload set received_at = now() - interval '10 minutes', finished_at = now() - interval '9 minutes' where id = @id", new { id });
    }

    [Fact]
    public async Task TheResumeJobNeverQueuesAgainAnUploadWhoseJobIsStillWaiting()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        using var client = app.Client(await app.CreateTokenAsync("ALPHA"));
        var id = await SendAsync(client);
        await AgeAsync(app, id);

        var resumed = await app.Services.GetRequiredService<ResumeUploadsJob>().RunAsync(CancellationToken.None);

        Assert.Empty(resumed.Processing);
        Assert.Equal(1, app.Services.GetRequiredService<JobStorage>().GetMonitoringApi().EnqueuedCount("default"));
    }

    [Fact]
    public async Task ARefreshHeldByAKilledServerIsQueuedAgainAndALiveOneIsNot()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        using var client = app.Client(await app.CreateTokenAsync("ALPHA"));
        var killed = await SendAsync(client);
        Assert.Equal("accepted", await app.Services.GetRequiredService<UploadProcessor>().ProcessAsync(killed, CancellationToken.None));
        await AgeAsync(app, killed);
        var storage = app.Services.GetRequiredService<JobStorage>();
        await using var connection = await app.Db.OpenConnectionAsync();
        var refresh = await connection.QuerySingleAsync<string>("select follow_up_job_id from upload where id = @killed", new { killed });
        // The refresh was running on a server that died: its state says Processing, on a server no longer alive.
        using (var hangfire = storage.GetConnection())
        using (var transaction = hangfire.CreateWriteTransaction())
        {
            transaction.SetJobState(refresh, new ProcessingOnAKilledServer());
            transaction.Commit();
        }

        var resumed = await app.Services.GetRequiredService<ResumeUploadsJob>().RunAsync(CancellationToken.None);

        Assert.Equal([killed], resumed.Figures);
        var queued = await connection.QuerySingleAsync<string>("select follow_up_job_id from upload where id = @killed", new { killed });
        Assert.NotEqual(refresh, queued);
        Assert.Equal("Enqueued", storage.GetConnection().GetStateData(queued).Name);
        // Queued now and not yet run: the next pass leaves it alone.
        Assert.Empty((await app.Services.GetRequiredService<ResumeUploadsJob>().RunAsync(CancellationToken.None)).Figures);
    }

    /// <summary>The Processing state as a worker of a server that is gone left it (ProcessingState's constructor is Hangfire's own).</summary>
    private sealed class ProcessingOnAKilledServer : IState
    {
        public string Name => ProcessingState.StateName;
        public string? Reason => null;
        public bool IsFinal => false;
        public bool IgnoreJobLoadException => false;

        public Dictionary<string, string> SerializeData() => new()
        {
            ["StartedAt"] = Hangfire.Common.JobHelper.SerializeDateTime(DateTime.UtcNow.AddMinutes(-9)),
            ["ServerId"] = "killed-server:1234:ab",
            ["WorkerId"] = "worker-1",
        };
    }

    [Collection(JobServers.Name)]
    public sealed class WithAJobServer
    {
        [Fact]
        public async Task FiguresLostBetweenAcceptAndRefreshAreRefreshedByTheResumeJob()
        {
            await using var app = await TestApp.StartAsync(runJobs: true);
            await app.AddCarrierAsync("ALPHA");
            // Accepted, then the process died before any refresh was queued.
            var store = app.Services.GetRequiredService<UploadStore>();
            var upload = await store.ReceiveAsync(new MemoryStream(Encoding.UTF8.GetBytes(Csv)), "day.csv", "cli", "ALPHA", Actor.CommandLine(), "vi", CancellationToken.None);
            Assert.Equal("accepted", await app.Services.GetRequiredService<UploadProcessor>().ProcessAsync(upload.Id, CancellationToken.None));
            await AgeAsync(app, upload.Id);

            await app.Services.GetRequiredService<ResumeUploadsJob>().RunAsync(CancellationToken.None);

            var deadline = DateTime.UtcNow.AddMinutes(2);
            while ((await store.FindAsync(upload.Id))!.FiguresUpdatedAt is null && DateTime.UtcNow < deadline)
                await Task.Delay(200);
            Assert.NotNull((await store.FindAsync(upload.Id))!.FiguresUpdatedAt);
            await using var connection = await app.Db.OpenConnectionAsync();
            Assert.Equal(1, await connection.QuerySingleAsync<long>("select count(*) from daily_indicator"));
        }
    }
}
