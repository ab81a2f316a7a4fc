using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Accounts;
using PostalPeak.Audit;
using PostalPeak.Ingestion;

namespace PostalPeak.Tests.Ingestion;

/// <summary>
/// Every upload reaches a final state: the inputs that once left an upload "processing" for ever, and a fault
/// on the server, which ends it as failed, retryable by an administrator.
/// </summary>
public sealed class FinalStateTests
{
    private const string Header = "report_date,unit_code,received,delivered,backlog,note\n";

    private static async Task<(Upload Upload, IReadOnlyList<StoredIssue> Issues)> IngestAsync(TestApp app, byte[] content, string name = "day.csv")
    {
        var store = app.Services.GetRequiredService<UploadStore>();
        var upload = await store.ReceiveAsync(new MemoryStream(content), name, "api", "ALPHA", Actor.CommandLine(), "en", CancellationToken.None);
        await app.Services.GetRequiredService<UploadProcessor>().ProcessAsync(upload.Id, CancellationToken.None);
        return ((await store.FindAsync(upload.Id))!, await store.IssuesAsync(upload.Id));
    }

    private static Task<TestApp> StartAsync() =>
        TestApp.StartAsync(settings: new Dictionary<string, string?> { ["Ingestion:MaxUploadBytes"] = (60L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture) });

    [Fact]
    public async Task ADashInACountCellIsReadAsZeroAsExcelsAccountingFormatWritesIt()
    {
        await using var app = await StartAsync();
        await app.AddCarrierAsync("ALPHA");

        var (upload, issues) = await IngestAsync(app, Encoding.UTF8.GetBytes(Header + "2023-01-10,380,120, - ,-,\n"));

        Assert.Equal("accepted", upload.Status);
        Assert.DoesNotContain(issues, i => i.Severity == "error");
        await using var connection = await app.Db.OpenConnectionAsync();
        var row = await connection.QuerySingleAsync<(long Delivered, long? Backlog)>("select delivered, backlog from daily_report");
        Assert.Equal((0L, (long?)0), row);
    }

    private static string LongRecord(string what) => what switch
    {
        "a two-megabyte note" => Header + "2023-01-10,380,1,1,0," + new string('x', 2 << 20) + "\n",
        "an unclosed quote before a long tail" => Header + "2023-01-10,380,1,1,0,\"never closed\n" + string.Concat(Enumerable.Repeat("2023-01-11,380,1,1,0,tail\n", 60_000)),
        "a 200,000-column header" => string.Join(",", Enumerable.Range(0, 200_000).Select(i => "c" + i)) + "\n1,2\n",
        "a fifty-megabyte line" => Header + new string('9', 50 << 20) + "\n",
        "millions of quote pairs" => Header + "2023-01-10,380,1,1,0,\"" + string.Concat(Enumerable.Repeat("\"\"", 1_500_000)) + "\"\n",
        _ => throw new ArgumentOutOfRangeException(nameof(what)),
    };

    [Theory]
    [InlineData("a two-megabyte note")]
    [InlineData("an unclosed quote before a long tail")]
    [InlineData("a 200,000-column header")]
    [InlineData("a fifty-megabyte line")]
    [InlineData("millions of quote pairs")]
    public async Task ARecordOverOneMebibyteIsRejectedWithTheLineNotLeftProcessing(string what)
    {
        await using var app = await StartAsync();
        await app.AddCarrierAsync("ALPHA");

        var (upload, issues) = await IngestAsync(app, Encoding.UTF8.GetBytes(LongRecord(what)));

        Assert.True(upload.Status == "rejected", $"{what}: {upload.Status}");
        Assert.DoesNotContain('\0', upload.Separator ?? "");
        var issue = Assert.Single(issues, i => i.Severity == "error");
        Assert.True(issue.Code is IssueCodes.RecordTooLong, $"{what}: {issue.Code}");
        Assert.Contains("1,048,576", issue.Message("en"), StringComparison.Ordinal);
        Assert.Contains("dấu ngoặc kép", issue.Message("vi"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMangledUtf16HeaderIsJudgedAsTextNotLeftProcessing()
    {
        await using var app = await StartAsync();
        await app.AddCarrierAsync("ALPHA");
        // U+FFFE is what a byte-swapped byte order mark becomes inside UTF-16 text; string.Normalize throws on it.
        var csv = "report_date\t\uFFFEunit_code\treceived\tdelivered\n2023-01-10\t380\t1\t1\n";

        var (upload, issues) = await IngestAsync(app, [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(csv)]);

        Assert.Equal("rejected", upload.Status);
        Assert.Contains(issues, i => i.Code == IssueCodes.MissingColumn);
    }

    [Fact]
    public async Task AFaultOnTheServerEndsTheUploadAsFailedWithAMessageAndAnAdministratorRetriesIt()
    {
        await using var app = await StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddUserAsync("admin", Roles.Admin);
        var bytes = Encoding.UTF8.GetBytes(Header + "2023-01-10,380,100,90,10,\n");
        await using (var connection = await app.Db.OpenConnectionAsync())
        {
            // A fault no file can cause and no retry cures: the database refuses every daily row.
            await connection.ExecuteAsync("""
                create function refuse_rows() returns trigger language plpgsql as $$ begin raise exception 'refused for the test'; end $$;
                create trigger refuse_rows before insert on daily_report for each row execute function refuse_rows();
                """);
        }

        var (failed, issues) = await IngestAsync(app, bytes);

        Assert.Equal("failed", failed.Status);
        Assert.True(failed.IsFinal);
        Assert.NotNull(failed.FinishedAt);
        var issue = Assert.Single(issues);
        Assert.Equal(IssueCodes.ProcessingFailed, issue.Code);
        Assert.Contains("máy chủ", issue.Message("vi"), StringComparison.Ordinal);
        await using (var connection = await app.Db.OpenConnectionAsync())
            Assert.Equal(0, await connection.QuerySingleAsync<long>("select count(*) from daily_report"));

        using var admin = await app.SignedInClientAsync("admin", antiforgeryHeader: true);
        var detail = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/uploads/{failed.Id}");
        Assert.Equal("failed", detail.GetProperty("upload").GetProperty("status").GetString());
        var page = await admin.GetStringAsync($"/uploads/{failed.Id}");
        Assert.Contains("Lỗi xử lý", page, StringComparison.Ordinal);
        Assert.Contains("data-test=\"retry\"", page, StringComparison.Ordinal);

        // The same bytes sent again are read, not called a duplicate of the failed upload.
        var (again, _) = await IngestAsync(app, bytes, "again.csv");
        Assert.Equal("failed", again.Status);
        Assert.Null(again.DuplicateOf);

        await using (var connection = await app.Db.OpenConnectionAsync())
            await connection.ExecuteAsync("drop trigger refuse_rows on daily_report");
        var retry = await admin.PostAsync($"/api/v1/uploads/{failed.Id}/retry", null);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal("accepted", await app.Services.GetRequiredService<UploadProcessor>().ProcessAsync(failed.Id, CancellationToken.None));
        Assert.Equal(1, await app.CountAuditAsync("upload.retry"));
        var twice = await admin.PostAsync($"/api/v1/uploads/{failed.Id}/retry", null);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal("not_failed", (await twice.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task OnlyAnAdministratorMayRetryAFailedUpload()
    {
        await using var app = await StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddUserAsync("manager", Roles.CarrierManager, "ALPHA");
        await app.AddUserAsync("analyst", Roles.Analyst);
        var upload = await app.Services.GetRequiredService<UploadStore>().ReceiveAsync(new MemoryStream("x"u8.ToArray()), "a.csv", "api", "ALPHA",
            Actor.CommandLine(), "vi", CancellationToken.None);

        foreach (var who in new[] { "manager", "analyst" })
        {
            using var client = await app.SignedInClientAsync(who, antiforgeryHeader: true);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"/api/v1/uploads/{upload.Id}/retry", null)).StatusCode);
        }
        using var token = app.Client(await app.CreateTokenAsync("ALPHA"));
        Assert.Equal(HttpStatusCode.Forbidden, (await token.PostAsync($"/api/v1/uploads/{upload.Id}/retry", null)).StatusCode);
    }

    [Fact]
    public async Task AnUploadThatNeverFinishesEndsAsFailedAfterItsLastAttempt()
    {
        await using var app = await StartAsync();
        await app.AddCarrierAsync("ALPHA");
        var upload = await app.Services.GetRequiredService<UploadStore>().ReceiveAsync(
            new MemoryStream(Encoding.UTF8.GetBytes(Header + "2023-01-10,380,100,90,10,\n")), "a.csv", "api", "ALPHA", Actor.CommandLine(), "vi", CancellationToken.None);
        // As if the process had died while processing it, once for every attempt.
        await using (var connection = await app.Db.OpenConnectionAsync())
            await connection.ExecuteAsync("update upload set status = 'processing', attempts = @max where id = @id",
                new { upload.Id, max = UploadProcessor.MaxAttempts });

        var status = await app.Services.GetRequiredService<UploadProcessor>().ProcessAsync(upload.Id, CancellationToken.None);

        Assert.Equal("failed", status);
        var resumed = await app.Services.GetRequiredService<ResumeUploadsJob>().RunAsync(CancellationToken.None);
        Assert.Empty(resumed.Processing);
    }
}
