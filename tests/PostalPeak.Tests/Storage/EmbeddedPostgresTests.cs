using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PostalPeak.Storage;

namespace PostalPeak.Tests.Storage;

/// <summary>The private cluster's life: create, stop, start again with the same data, survive a crash, refuse clearly.</summary>
public sealed class EmbeddedPostgresTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "postalpeak-lifecycle-" + Guid.NewGuid().ToString("N")[..8]);

    private EmbeddedPostgresOptions Options(bool throwaway = false) => new() { DataDirectory = _directory, Throwaway = throwaway };

    [Fact]
    public async Task KeepsItsDataAcrossAStopAndAStart()
    {
        var first = await EmbeddedPostgres.StartAsync(Options(), NullLogger.Instance);
        await ExecuteAsync(first.ConnectionString, "create table kept (value text); insert into kept values ('still here')");
        await first.DisposeAsync();
        Assert.False(File.Exists(Path.Combine(_directory, "server", "data", "postmaster.pid")), "the server should be stopped");

        var second = await EmbeddedPostgres.StartAsync(Options(), NullLogger.Instance);
        try
        {
            Assert.Equal("still here", await ScalarAsync(second.ConnectionString, "select value from kept"));
        }
        finally
        {
            await second.DisposeAsync();
        }
    }

    [Fact]
    public async Task ListensOnLoopbackOnlyWithAPassword()
    {
        await using var cluster = await EmbeddedPostgres.StartAsync(Options(throwaway: true), NullLogger.Instance);

        Assert.Equal("127.0.0.1", await ScalarAsync(cluster.ConnectionString, "select current_setting('listen_addresses')"));
        var wrong = new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Password = "wrong", Pooling = false };
        await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(wrong.ConnectionString, "select 1"));
    }

    [Fact]
    public async Task AdoptsTheServerACrashedOwnerLeftRunningInsteadOfStartingASecond()
    {
        var crashed = await EmbeddedPostgres.StartAsync(Options(throwaway: true), NullLogger.Instance);
        // A crash: the owner is gone (a pid that cannot exist) and nobody stopped the server.
        await File.WriteAllTextAsync(Path.Combine(_directory, "owner.pid"), "999999999");
        var postmaster = await File.ReadAllLinesAsync(Path.Combine(_directory, "server", "data", "postmaster.pid"));

        await using var next = await EmbeddedPostgres.StartAsync(Options(throwaway: true), NullLogger.Instance);

        Assert.Equal(crashed.Port, next.Port);
        Assert.True(next.OwnsServer);
        Assert.Equal(postmaster[0], (await File.ReadAllLinesAsync(Path.Combine(_directory, "server", "data", "postmaster.pid")))[0]);
        Assert.Equal(1L, await ScalarAsync(next.ConnectionString, "select 1::bigint"));
    }

    [Fact]
    public async Task SharesTheServerOfALiveOwnerAndLeavesItRunning()
    {
        await using var owner = await EmbeddedPostgres.StartAsync(Options(throwaway: true), NullLogger.Instance);
        // Another process (here: another instance in this one) owns the server while it runs.
        await File.WriteAllTextAsync(Path.Combine(_directory, "owner.pid"), "1");

        var guest = await EmbeddedPostgres.StartAsync(Options(throwaway: true), NullLogger.Instance);
        Assert.False(guest.OwnsServer);
        await guest.DisposeAsync();

        Assert.Equal(1L, await ScalarAsync(owner.ConnectionString, "select 1::bigint"));
        await File.WriteAllTextAsync(Path.Combine(_directory, "owner.pid"), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task SaysWhatToInstallWhenNoServerBinariesAreFound()
    {
        var options = Options();
        options.SearchSystem = false;

        var error = await Assert.ThrowsAsync<EmbeddedPostgresException>(() => EmbeddedPostgres.StartAsync(options, NullLogger.Instance));

        Assert.Contains("apt-get install postgresql", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__PostalPeak", error.Message, StringComparison.Ordinal);
        Assert.Contains("Storage__Embedded__BinDirectory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusesABinFolderWithoutPostgres()
    {
        var options = Options();
        options.BinDirectory = _directory;
        Directory.CreateDirectory(_directory);

        var error = await Assert.ThrowsAsync<EmbeddedPostgresException>(() => EmbeddedPostgres.StartAsync(options, NullLogger.Instance));

        Assert.Contains(_directory, error.Message, StringComparison.Ordinal);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            var pidFile = Path.Combine(_directory, "server", "data", "postmaster.pid");
            if (File.Exists(pidFile))
                EmbeddedPostgres.StartAsync(Options(throwaway: true), NullLogger.Instance).GetAwaiter().GetResult().DisposeAsync().AsTask().GetAwaiter().GetResult();
            if (Directory.Exists(_directory))
                Directory.Delete(_directory, recursive: true);
        }
    }
}
