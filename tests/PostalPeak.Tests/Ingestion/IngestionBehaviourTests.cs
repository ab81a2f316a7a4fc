using System.Diagnostics;
using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Accounts;
using PostalPeak.Audit;
using PostalPeak.Ingestion;

namespace PostalPeak.Tests.Ingestion;

public sealed class IngestionBehaviourTests
{
    private const string Header = "report_date,unit_code,received,delivered,backlog\n";

    private static async Task<Upload> IngestAsync(TestApp app, string carrier, string csv, string name = "day.csv")
    {
        var store = app.Services.GetRequiredService<UploadStore>();
        var upload = await store.ReceiveAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), name, "cli", carrier, Actor.CommandLine(), "en", CancellationToken.None);
        await app.Services.GetRequiredService<UploadProcessor>().ProcessAsync(upload.Id, CancellationToken.None);
        return (await store.FindAsync(upload.Id))!;
    }

    [Fact]
    public async Task ReuploadingTheSameFileWritesNothing()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        const string csv = Header + "2023-01-10,380,100,90,10\n";

        var first = await IngestAsync(app, "ALPHA", csv);
        var second = await IngestAsync(app, "ALPHA", csv, "same bytes, other name.csv");

        Assert.Equal("accepted", first.Status);
        Assert.Equal("duplicate", second.Status);
        Assert.Equal(first.Id, second.DuplicateOf);
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(first.Id, await connection.QuerySingleAsync<long>("select upload_id from daily_report"));
        Assert.Equal(0, await connection.QuerySingleAsync<long>("select count(*) from daily_report_history"));
    }

    [Fact]
    public async Task TheSameFileFromAnotherCarrierIsNotADuplicate()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddCarrierAsync("BETA");
        const string csv = Header + "2023-01-10,380,100,90,10\n";

        Assert.Equal("accepted", (await IngestAsync(app, "ALPHA", csv)).Status);
        Assert.Equal("accepted", (await IngestAsync(app, "BETA", csv)).Status);
    }

    [Fact]
    public async Task ACorrectionKeepsTheOldValuesInHistoryWithTheUploadThatReplacedThem()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        var original = await IngestAsync(app, "ALPHA", Header + "2023-01-10,380,100,90,10\n2023-01-10,381,50,50,0\n");

        var correction = await IngestAsync(app, "ALPHA", Header + "2023-01-10,380,120,95,25\n2023-01-10,381,50,50,0\n2023-01-10,382,7,7,0\n");

        Assert.Equal((1, 1, 1), (correction.RowsNew, correction.RowsCorrected, correction.RowsUnchanged));
        await using var connection = await app.Db.OpenConnectionAsync();
        var history = await connection.QuerySingleAsync<(long Received, long UploadId, long ReplacedBy)>(
            "select received, upload_id, replaced_by from daily_report_history where unit_code = '380'");
        Assert.Equal((100L, original.Id, correction.Id), history);
        var current = await connection.QuerySingleAsync<(long Received, long UploadId)>("select received, upload_id from daily_report where unit_code = '380'");
        Assert.Equal((120L, correction.Id), current);
        // The unchanged row still points at the upload that brought it.
        Assert.Equal(original.Id, await connection.QuerySingleAsync<long>("select upload_id from daily_report where unit_code = '381'"));
    }

    [Fact]
    public async Task ARejectedFileWritesNoRowAtAll()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");

        var upload = await IngestAsync(app, "ALPHA", Header + "2023-01-10,380,100,90,10\n2023-01-10,381,x,50,0\n");

        Assert.Equal("rejected", upload.Status);
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(0, await connection.QuerySingleAsync<long>("select count(*) from daily_report"));
        Assert.NotNull(await connection.QuerySingleAsync<byte[]>("select content from upload where id = @Id", new { upload.Id }));
    }

    [Fact]
    public async Task NotesFromAWindows1258FileAreStoredInComposedUnicode()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        var store = app.Services.GetRequiredService<UploadStore>();
        var bytes = await File.ReadAllBytesAsync(Path.Combine(Examples.Folder, "valid-windows-1258.csv"));
        var upload = await store.ReceiveAsync(new MemoryStream(bytes), "legacy.csv", "cli", "ALPHA", Actor.CommandLine(), "vi", CancellationToken.None);

        Assert.Equal("accepted", await app.Services.GetRequiredService<UploadProcessor>().ProcessAsync(upload.Id, CancellationToken.None));

        await using var connection = await app.Db.OpenConnectionAsync();
        var notes = (await connection.QueryAsync<string>("select note from daily_report order by unit_code")).ToList();
        Assert.Equal(["Mưa lớn cả ngày", "Ổn định"], notes);
        Assert.All(notes, n => Assert.True(n.IsNormalized(NormalizationForm.FormC)));
        Assert.Equal("windows-1258", (await store.FindAsync(upload.Id))!.Encoding);
    }

    [Fact]
    public async Task TwoConcurrentUploadsOfTheSameFileIngestOnce()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        var store = app.Services.GetRequiredService<UploadStore>();
        var csv = Encoding.UTF8.GetBytes(Header + string.Concat(Enumerable.Range(0, 27).Select(i => $"2023-01-10,{380 + i + (i >= 3 ? 1 : 0)},100,90,10\n")));
        var uploads = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            store.ReceiveAsync(new MemoryStream(csv), "day.csv", "api", "ALPHA", Actor.CommandLine(), "vi", CancellationToken.None)));

        var statuses = await Task.WhenAll(uploads.Select(u => Task.Run(() =>
            app.Services.GetRequiredService<UploadProcessor>().ProcessAsync(u.Id, CancellationToken.None))));

        Assert.Equal(["accepted", "duplicate"], statuses.Order());
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(27, await connection.QuerySingleAsync<long>("select count(*) from daily_report"));
    }

    [Fact]
    public async Task ProcessingTwiceChangesNothingTheSecondTime()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        var upload = await IngestAsync(app, "ALPHA", Header + "2023-01-10,380,100,90,10\n");

        var again = await app.Services.GetRequiredService<UploadProcessor>().ProcessAsync(upload.Id, CancellationToken.None);

        Assert.Equal("accepted", again);
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(1, await connection.QuerySingleAsync<long>("select count(*) from daily_report"));
    }

    [Fact]
    public async Task AnIngestKilledMidWriteLeavesNoRowsAndTheRerunCompletes()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        var file = Path.Combine(Path.GetTempPath(), "postalpeak-big-" + Guid.NewGuid().ToString("N")[..8] + ".csv");
        await using (var writer = new StreamWriter(file))
        {
            await writer.WriteAsync(Header);
            var units = new[] { "380", "381", "382", "384", "385", "386", "387", "388", "389", "390" };
            for (var day = 0; day < 600; day++)
                foreach (var unit in units)
                    await writer.WriteAsync($"{new DateOnly(2021, 1, 1).AddDays(day):yyyy-MM-dd},{unit},100,90,10\n");
        }
        try
        {
            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "PostalPeak.dll"), "ingest", "--carrier", "ALPHA", file })
                start.ArgumentList.Add(argument);
            start.Environment["ConnectionStrings__PostalPeak"] = app.ConnectionString;
            using var process = Process.Start(start)!;
            await using var connection = await app.Db.OpenConnectionAsync();
            // Wait until the ingest is writing (its upload is being processed), then kill it without warning.
            var clock = Stopwatch.StartNew();
            while (await connection.QuerySingleOrDefaultAsync<string>("select status from upload") != "processing")
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the ingest never started processing");
                Assert.False(process.HasExited, "the ingest finished before it could be killed");
                await Task.Delay(20);
            }
            await Task.Delay(150);
            process.Kill();
            await process.WaitForExitAsync();

            Assert.Equal(0, await connection.QuerySingleAsync<long>("select count(*) from daily_report"));
            var uploadId = await connection.QuerySingleAsync<long>("select id from upload");
            Assert.Equal("processing", await connection.QuerySingleAsync<string>("select status from upload"));

            var status = await app.Services.GetRequiredService<UploadProcessor>().ProcessAsync(uploadId, CancellationToken.None);

            Assert.Equal("accepted", status);
            Assert.Equal(6000, await connection.QuerySingleAsync<long>("select count(*) from daily_report"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task UnfinishedUploadsAreQueuedAgainByTheResumeJob()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        var store = app.Services.GetRequiredService<UploadStore>();
        var stranded = await store.ReceiveAsync(new MemoryStream(Encoding.UTF8.GetBytes(Header + "2023-01-10,380,1,1,0\n")), "a.csv", "api", "ALPHA", Actor.CommandLine(), "vi", CancellationToken.None);
        var fresh = await store.ReceiveAsync(new MemoryStream(Encoding.UTF8.GetBytes(Header + "2023-01-11,380,1,1,0\n")), "b.csv", "api", "ALPHA", Actor.CommandLine(), "vi", CancellationToken.None);
        await using (var connection = await app.Db.OpenConnectionAsync())
            await connection.ExecuteAsync("update upload set received_at = now() - interval '10 minutes' where id = @Id", new { stranded.Id });

        var resumed = await app.Services.GetRequiredService<ResumeUploadsJob>().RunAsync(CancellationToken.None);

        Assert.Equal([stranded.Id], resumed.Processing);
        var jobs = app.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi().EnqueuedJobs("default", 0, 10);
        var job = Assert.Single(jobs);
        Assert.Equal(stranded.Id, (long)job.Value.Job.Args[0]);
        Assert.NotEqual(fresh.Id, stranded.Id);
    }
}
