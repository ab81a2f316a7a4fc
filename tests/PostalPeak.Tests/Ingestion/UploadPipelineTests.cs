using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Ingestion;

namespace PostalPeak.Tests.Ingestion;

/// <summary>
/// Every entry point hands an upload to UploadPipeline, which alone chains processing, the indicator refresh and the
/// alert evaluation: queued as continuations for the API (and the web page, which posts to it), inline for the
/// command line and the drop folder. The API's whole chain up to a delivered webhook is AlertEndToEndTests.
/// </summary>
public sealed class UploadPipelineTests
{
    private const string Carrier = "ALPHA";

    /// <summary>Twelve parcels lost of 1,200 received yesterday: the default lost_parcels rule fires on it.</summary>
    private static string LostParcels() =>
        $"report_date,unit_code,received,delivered,lost\n{DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1):yyyy-MM-dd},14758,1200,1100,12\n";

    private static Dictionary<string, string?> Webhook(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Notifications:Webhooks:0:Name"] = "department",
            ["Notifications:Webhooks:0:Url"] = "http://127.0.0.1:9/hook",
            ["Notifications:Webhooks:0:Secret"] = "a-secret-of-enough-length",
        };
        foreach (var (key, value) in more ?? [])
            settings[key] = value;
        return settings;
    }

    [Fact]
    public async Task AFileIngestedOnTheCommandLineEndsWithItsFiguresRefreshedAndItsAlertEvaluatedWhileItsMessageWaitsInTheOutbox()
    {
        await using var app = await TestApp.StartAsync(settings: Webhook());
        await app.AddCarrierAsync(Carrier);
        var file = Path.Combine(Path.GetTempPath(), $"postalpeak-pipeline-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, LostParcels());
        try
        {
            var result = await Cli.CommandLineTests.RunAsync(new Dictionary<string, string>
            {
                ["ConnectionStrings__PostalPeak"] = app.ConnectionString,
                ["Notifications__Webhooks__0__Name"] = "department",
                ["Notifications__Webhooks__0__Url"] = "http://127.0.0.1:9/hook",
                ["Notifications__Webhooks__0__Secret"] = "a-secret-of-enough-length",
            }, "ingest", "--carrier", Carrier, file);

            Assert.Equal(PostalPeak.Cli.ExitCodes.Success, result.ExitCode);
            await AssertRefreshedAndEvaluatedAsync(app);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task AFileCollectedFromTheDropFolderEndsWithItsFiguresRefreshedAndItsAlertEvaluated()
    {
        var inbox = Path.Combine(Path.GetTempPath(), "postalpeak-inbox-" + Guid.NewGuid().ToString("N")[..8]);
        await using var app = await TestApp.StartAsync(settings: Webhook(new()
        {
            ["Ingestion:DropFolder:Inbox"] = inbox,
            ["Ingestion:DropFolder:SettleSeconds"] = "0",
        }));
        await app.AddCarrierAsync(Carrier);
        try
        {
            var folder = Directory.CreateDirectory(Path.Combine(inbox, Carrier)).FullName;
            await File.WriteAllTextAsync(Path.Combine(folder, "day.csv"), LostParcels());

            var outcome = Assert.Single(await app.Services.GetRequiredService<DropFolderJob>().RunAsync(CancellationToken.None));

            Assert.Equal("accepted", outcome.Status);
            await AssertRefreshedAndEvaluatedAsync(app);
        }
        finally
        {
            Directory.Delete(inbox, recursive: true);
        }
    }

    [Fact]
    public async Task AnApiUploadIsQueuedAsProcessingThenTheRefreshThenTheEvaluationEachWaitingForTheOneBefore()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync(Carrier);
        using var client = app.Client(await app.CreateTokenAsync(Carrier));

        using var body = new StringContent(LostParcels(), Encoding.UTF8, "text/csv");
        var response = await client.PostAsync("/api/v1/uploads", body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await using var connection = await app.Db.OpenConnectionAsync();
        var (jobId, followUpJobId) = await connection.QuerySingleAsync<(string, string)>("select job_id, follow_up_job_id from upload");
        var jobs = (await connection.QueryAsync<(long Id, string Invocation, string State)>(
            "select id, invocationdata::text, statename from hangfire.job order by id")).AsList();
        Assert.Equal(3, jobs.Count);
        Assert.Contains("UploadProcessor", jobs[0].Invocation, StringComparison.Ordinal);
        Assert.Contains("RefreshAfterUploadAsync", jobs[1].Invocation, StringComparison.Ordinal);
        Assert.Contains("EvaluateAfterUploadAsync", jobs[2].Invocation, StringComparison.Ordinal);
        Assert.Equal(["Enqueued", "Awaiting", "Awaiting"], jobs.Select(j => j.State));
        Assert.Equal((jobs[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture), jobs[1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (jobId, followUpJobId));
        Assert.True(app.Services.GetRequiredService<UploadPipeline>().WillRun(followUpJobId), "a continuation behind a queued job will run");
    }

    [Fact]
    public void NoCodeOutsideThePipelineChainsAnUploadsRefreshOrEvaluation()
    {
        var source = Path.Combine(Storage.MigrationTests.RepositoryRoot(), "src", "PostalPeak");
        var owners = new[] { "UploadPipeline.cs", "IndicatorRefresh.cs", "AlertEvaluator.cs" };

        var chaining = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !owners.Contains(Path.GetFileName(f)))
            .Where(f => File.ReadAllText(f) is var text
                        && (text.Contains("RefreshAfterUploadAsync", StringComparison.Ordinal) || text.Contains("EvaluateAfterUploadAsync", StringComparison.Ordinal)
                            || text.Contains("ContinueJobWith<AlertEvaluator", StringComparison.Ordinal) || text.Contains("ContinueJobWith<Alerts.AlertEvaluator", StringComparison.Ordinal)))
            .Select(f => Path.GetRelativePath(source, f))
            .ToList();

        Assert.Empty(chaining);
    }

    /// <summary>The upload's units have indicators and its figures are current; the rule fired and its message is pending.</summary>
    private static async Task AssertRefreshedAndEvaluatedAsync(TestApp app)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(("accepted", true), await connection.QuerySingleAsync<(string, bool)>("select status, figures_updated_at is not null from upload"));
        Assert.Equal(1, await connection.QuerySingleAsync<long>("select count(*) from daily_indicator where unit_code = '14758' and lost = 12"));
        Assert.Equal("firing", await connection.QuerySingleAsync<string>(
            "select a.state from alert a join alert_rule r on r.id = a.rule_id where r.code = 'lost_parcels' and a.unit_code = '14758'"));
        Assert.Equal("pending", await connection.QuerySingleAsync<string>("select status from notification where channel = 'webhook'"));
    }
}
