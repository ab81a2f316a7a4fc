using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Ingestion;

namespace PostalPeak.Tests.Ingestion;

/// <summary>
/// The drop folder's file system is written by carriers and trusted with nothing: links, FIFOs and hard links
/// are refused, processed/ and rejected/ are never written through a link, and overlapping runs take each file
/// once. Every case goes through the real job on a real folder.
/// </summary>
public sealed class DropFolderSafetyTests : IAsyncLifetime
{
    private const string Report = "report_date,unit_code,received,delivered,backlog\n2023-01-10,380,100,90,10\n";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "postalpeak-dropsafety-" + Guid.NewGuid().ToString("N")[..8]);
    private TestApp _app = null!;

    private string Inbox => Path.Combine(_root, "inbox");
    private string Outside => Path.Combine(_root, "outside");
    private string Alpha => Path.Combine(Inbox, "ALPHA");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Alpha);
        Directory.CreateDirectory(Outside);
        _app = await TestApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Ingestion:DropFolder:Inbox"] = Inbox,
            ["Ingestion:DropFolder:SettleSeconds"] = "0",
        });
        await _app.AddCarrierAsync("ALPHA");
        await _app.AddCarrierAsync("BETA");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private Task<IReadOnlyList<DropFolderJob.Outcome>> RunAsync() =>
        _app.Services.GetRequiredService<DropFolderJob>().RunAsync(CancellationToken.None)
            // A run that blocked (on a FIFO, say) fails the test instead of hanging it.
            .WaitAsync(TimeSpan.FromMinutes(2));

    private async Task<long> UploadsAsync(string carrier = "ALPHA")
    {
        await using var connection = await _app.Db.OpenConnectionAsync();
        return await connection.QuerySingleAsync<long>("select count(*) from upload u join carrier c on c.id = u.carrier_id where c.code = @carrier", new { carrier });
    }

    private static void Run(string command, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true })!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{command} failed: {process.StandardError.ReadToEnd()}");
    }

    [Fact]
    public async Task ALinkToAFileOutsideTheInboxIsRefusedAndNeverStored()
    {
        var secret = Path.Combine(Outside, "secret.csv");
        await File.WriteAllTextAsync(secret, Report);
        File.CreateSymbolicLink(Path.Combine(Alpha, "steal.csv"), secret);

        var outcomes = await RunAsync();

        Assert.Equal("refused", Assert.Single(outcomes).Status);
        Assert.Equal(0, await UploadsAsync());
        var refused = Path.Combine(Alpha, "rejected", "steal.csv");
        Assert.NotNull(new FileInfo(refused).LinkTarget);
        Assert.Contains("symbolic link", await File.ReadAllTextAsync(refused + ".errors.csv"), StringComparison.Ordinal);
        Assert.Equal(Report, await File.ReadAllTextAsync(secret));
        Assert.Contains(_app.Logs.Lines, l => l.Contains("steal.csv", StringComparison.Ordinal) && l.Contains("link", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ALinkIntoAnotherCarriersFolderIsNotReadAsThisCarrier()
    {
        var beta = Directory.CreateDirectory(Path.Combine(Inbox, "BETA")).FullName;
        await File.WriteAllTextAsync(Path.Combine(beta, "beta-day.csv"), Report);
        File.CreateSymbolicLink(Path.Combine(Alpha, "borrowed.csv"), Path.Combine(beta, "beta-day.csv"));
        // And a whole carrier folder that is a link to another carrier's.
        Directory.CreateSymbolicLink(Path.Combine(Inbox, "GAMMA"), beta);
        await _app.AddCarrierAsync("GAMMA");

        var outcomes = await RunAsync();

        Assert.Equal("refused", Assert.Single(outcomes, o => o.Carrier == "ALPHA").Status);
        Assert.DoesNotContain(outcomes, o => o.Carrier == "GAMMA");
        Assert.Equal("accepted", Assert.Single(outcomes, o => o.Carrier == "BETA").Status);
        Assert.Equal(0, await UploadsAsync("ALPHA"));
        Assert.Equal(0, await UploadsAsync("GAMMA"));
        Assert.Equal(1, await UploadsAsync("BETA"));
        Assert.Contains("GAMMA", await File.ReadAllTextAsync(Path.Combine(Inbox, DropFolderJob.RefusedNote)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFifoIsRefusedWithoutBlockingTheRun()
    {
        Run("mkfifo", Path.Combine(Alpha, "hang.csv"));
        await File.WriteAllTextAsync(Path.Combine(Alpha, "day.csv"), Report);

        var outcomes = await RunAsync();

        Assert.Equal("refused", Assert.Single(outcomes, o => o.File == "hang.csv").Status);
        Assert.Equal("accepted", Assert.Single(outcomes, o => o.File == "day.csv").Status);
        Assert.Contains("FIFO", await File.ReadAllTextAsync(Path.Combine(Alpha, "rejected", "hang.csv.errors.csv")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHardLinkToAFileElsewhereIsRefused()
    {
        var secret = Path.Combine(Outside, "secret.csv");
        await File.WriteAllTextAsync(secret, Report);
        Run("ln", secret, Path.Combine(Alpha, "linked.csv"));

        var outcomes = await RunAsync();

        Assert.Equal("refused", Assert.Single(outcomes).Status);
        Assert.Equal(0, await UploadsAsync());
    }

    [Fact]
    public async Task ProcessedAndRejectedReplacedByLinksAreNeverWrittenThrough()
    {
        var elsewhere = Directory.CreateDirectory(Path.Combine(Outside, "elsewhere")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(Alpha, "processed"), elsewhere);
        Directory.CreateSymbolicLink(Path.Combine(Alpha, "rejected"), elsewhere);
        await File.WriteAllTextAsync(Path.Combine(Alpha, "day.csv"), Report);
        await File.WriteAllTextAsync(Path.Combine(Alpha, "bad.csv"), "not,a,report\n");

        var outcomes = await RunAsync();

        Assert.Empty(outcomes);
        Assert.Empty(Directory.GetFileSystemEntries(elsewhere));
        Assert.True(File.Exists(Path.Combine(Alpha, "day.csv")), "the file waits until the folders are fixed");
        Assert.Contains("processed/", await File.ReadAllTextAsync(Path.Combine(Alpha, DropFolderJob.RefusedNote)), StringComparison.Ordinal);
        Assert.Equal(0, await UploadsAsync());
    }

    [Fact]
    public async Task TheUnknownCarrierNoteIsNeverWrittenThroughALink()
    {
        var nobody = Directory.CreateDirectory(Path.Combine(Inbox, "NOBODY")).FullName;
        await File.WriteAllTextAsync(Path.Combine(nobody, "day.csv"), Report);
        var victim = Path.Combine(Outside, "victim.txt");
        await File.WriteAllTextAsync(victim, "keep me");
        File.CreateSymbolicLink(Path.Combine(nobody, DropFolderJob.UnknownCarrierNote), victim);

        var outcomes = await RunAsync();

        Assert.Equal("unknown_carrier", Assert.Single(outcomes).Status);
        Assert.Equal("keep me", await File.ReadAllTextAsync(victim));
    }

    [Fact]
    public async Task OverlappingRunsTakeEveryFileExactlyOnce()
    {
        for (var day = 1; day <= 30; day++)
            await File.WriteAllTextAsync(Path.Combine(Alpha, $"day-{day:00}.csv"), Report.Replace("2023-01-10", $"2023-01-{day:00}", StringComparison.Ordinal));

        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(RunAsync)));

        var outcomes = runs.SelectMany(r => r).ToList();
        Assert.Equal(30, outcomes.Count);
        Assert.Equal(30, outcomes.Select(o => o.File).Distinct().Count());
        Assert.All(outcomes, o => Assert.Equal("accepted", o.Status));
        Assert.Equal(30, await UploadsAsync());
        Assert.Equal(30, Directory.GetFiles(Path.Combine(Alpha, "processed")).Length);
    }

    [Fact]
    public async Task AFileNameWithANewlineCannotForgeALogLine()
    {
        // Refused, so logged as a warning with its name.
        Run("mkfifo", Path.Combine(Alpha, "forge\nwarn: fake.csv"));

        await RunAsync();

        Assert.Contains(_app.Logs.Lines, l => l.Contains("forge\\u000Awarn: fake.csv", StringComparison.Ordinal));
        Assert.DoesNotContain(_app.Logs.Lines, l => l.Contains('\n', StringComparison.Ordinal) && l.Contains("fake.csv", StringComparison.Ordinal));
    }
}
