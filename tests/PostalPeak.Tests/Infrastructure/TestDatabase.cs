using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PostalPeak.Storage;

namespace PostalPeak.Tests.Infrastructure;

/// <summary>
/// One PostgreSQL server per test run: the product's own embedded launcher on a throwaway cluster, or the
/// server POSTALPEAK_TEST_DB names. A template database is migrated once; every test gets its own copy.
/// </summary>
public static class TestDatabase
{
    public const string ThrowawayPrefix = "postalpeak-test-";
    private const string Template = "postalpeak_template";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _serverConnectionString;
    private static EmbeddedPostgres? _cluster;

    /// <summary>A new, migrated database with the reference units loaded; nobody else uses it.</summary>
    public static async Task<string> CreateAsync()
    {
        var server = await ServerAsync();
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"create database {name} template {Template}", connection);
            await create.ExecuteNonQueryAsync();
        }
        // Small pools: dozens of test applications share one server.
        return new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = true, MaxPoolSize = 20, ConnectionIdleLifetime = 10 }.ConnectionString;
    }

    private static async Task<string> ServerAsync()
    {
        if (_serverConnectionString is not null)
            return _serverConnectionString;
        await Gate.WaitAsync();
        try
        {
            if (_serverConnectionString is not null)
                return _serverConnectionString;
            var configured = Environment.GetEnvironmentVariable("POSTALPEAK_TEST_DB");
            string server;
            if (!string.IsNullOrWhiteSpace(configured))
            {
                server = configured;
            }
            else
            {
                await StopStaleClustersAsync();
                _cluster = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions
                {
                    DataDirectory = Path.Combine(Path.GetTempPath(), ThrowawayPrefix + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8]),
                    Throwaway = true,
                    Database = "postgres",
                }, NullLogger.Instance);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => _cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
                server = _cluster.ConnectionString;
            }
            server = new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString;
            await CreateTemplateAsync(server);
            _serverConnectionString = server;
            return server;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task CreateTemplateAsync(string server)
    {
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"drop database if exists {Template} with (force)", connection);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"create database {Template}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:PostalPeak"] = new NpgsqlConnectionStringBuilder(server) { Database = Template }.ConnectionString,
        }).Build();
        await using (await DatabaseServer.PrepareAsync(configuration, NullLoggerFactory.Instance))
        {
        }
        // Copying a template needs it free of connections.
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>A crashed earlier run leaves its throwaway server running: adopt each one (its owner is dead) and stop it.</summary>
    private static async Task StopStaleClustersAsync()
    {
        foreach (var directory in Directory.GetDirectories(Path.GetTempPath(), ThrowawayPrefix + "*"))
        {
            // The creating test run's process id is in the folder's name from the first moment (owner.pid only
            // follows once the cluster is up): a run that is still alive, even one still creating its cluster, is left alone.
            var creator = Path.GetFileName(directory)[ThrowawayPrefix.Length..].Split('-')[0];
            if (int.TryParse(creator, out var creatorPid) && Directory.Exists($"/proc/{creatorPid}"))
                continue;
            var owner = Path.Combine(directory, "owner.pid");
            if (File.Exists(owner) && int.TryParse(File.ReadAllText(owner), out var pid) && Directory.Exists($"/proc/{pid}"))
                continue; // a test run still going on
            var postmaster = Path.Combine(directory, "server", "data", "postmaster.pid");
            if (!File.Exists(postmaster) || !int.TryParse(File.ReadLines(postmaster).FirstOrDefault(), out var serverPid) || !Directory.Exists($"/proc/{serverPid}"))
            {
                Remove(directory); // nothing running: just the files
                continue;
            }
            try
            {
                var stale = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions { DataDirectory = directory, Throwaway = true, Database = "postgres" }, NullLogger.Instance);
                await stale.DisposeAsync();
            }
            catch (EmbeddedPostgresException)
            {
                Remove(directory);
            }
        }
    }

    /// <summary>Two test runs starting at once may both clean the same leftover: the one that comes second finds less to delete.</summary>
    private static void Remove(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
