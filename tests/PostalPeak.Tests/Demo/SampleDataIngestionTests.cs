using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Audit;
using PostalPeak.Demo;
using PostalPeak.Ingestion;

namespace PostalPeak.Tests.Demo;

public sealed class SampleDataIngestionTests
{
    /// <summary>About 280 files and 46,000 lines through the real code path: some 20 seconds on two cores.</summary>
    [Fact]
    public async Task TheWholeCurrentSeasonIsAcceptedWithWarningsOnlyWhereTheIncidentsPutThem()
    {
        await using var app = await TestApp.StartAsync();
        foreach (var carrier in SampleCarriers.All)
            await app.AddCarrierAsync(carrier.Code, carrier.Name);
        var store = app.Services.GetRequiredService<UploadStore>();
        var processor = app.Services.GetRequiredService<UploadProcessor>();
        var files = Samples.Default.Files.Where(f => f.Season == ScriptedIncidents.CurrentSeason).ToList();

        var results = new List<(SampleFile File, Upload Upload, IReadOnlyList<StoredIssue> Issues)>();
        foreach (var file in files)
        {
            var upload = await store.ReceiveAsync(new MemoryStream(file.Content), Path.GetFileName(file.Path), "cli", file.CarrierCode,
                Actor.CommandLine(), "en", CancellationToken.None);
            await processor.ProcessAsync(upload.Id, CancellationToken.None);
            results.Add((file, (await store.FindAsync(upload.Id))!, (await store.IssuesAsync(upload.Id)).ToList()));
        }

        Assert.All(results, r => Assert.True(r.Upload.Status == "accepted", $"{r.File.Path}: {r.Upload.Status}"));
        var warnings = results.SelectMany(r => r.Issues.Select(i => $"{r.File.Path} {i.Severity} {i.Code}")).Order(StringComparer.Ordinal);
        Assert.Equal(
        [
            "2026/PHUONGDONG/2026-02-07.csv warning backlog_mismatch", // unaccounted parcels on T-10
            "2026/SAOKHUE/2026-02-08.csv warning backlog_mismatch", // the two mistyped delivered figures of T-9
            "2026/SAOKHUE/2026-02-08.csv warning backlog_mismatch",
        ], warnings);
        var correction = Assert.Single(results, r => r.File.Kind == "correction").Upload;
        Assert.Equal((0, 2, correction.RowsTotal - 2), (correction.RowsNew, correction.RowsCorrected, correction.RowsUnchanged));

        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(Samples.Final(Samples.Default, ScriptedIncidents.CurrentSeason).Count, await connection.QuerySingleAsync<long>("select count(*) from daily_report"));
        Assert.Equal(2, await connection.QuerySingleAsync<long>("select count(*) from daily_report_history"));
    }
}
