using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PostalPeak.Storage;

namespace PostalPeak.Benchmarks;

/// <summary>A throwaway cluster from the product's own launcher, migrated and loaded like a fresh install.</summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    public required EmbeddedPostgres Cluster { get; init; }
    public required NpgsqlDataSource Db { get; init; }
    public required string Work { get; init; }

    public static async Task<BenchDatabase> StartAsync()
    {
        var work = Directory.CreateTempSubdirectory("postalpeak-bench-").FullName;
        // As root the server runs as another user, which must be able to enter this folder.
        File.SetUnixFileMode(work, (UnixFileMode)0b111_101_101);
        var cluster = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions
        {
            DataDirectory = Path.Combine(work, "cluster"), Throwaway = true, Database = "bench",
        }, NullLogger.Instance);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:PostalPeak"] = cluster.ConnectionString,
        }).Build();
        await using (await DatabaseServer.PrepareAsync(configuration, NullLoggerFactory.Instance))
        {
        }
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        return new BenchDatabase { Cluster = cluster, Db = NpgsqlDataSource.Create(cluster.ConnectionString), Work = work };
    }

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        await Cluster.DisposeAsync();
        Directory.Delete(Work, recursive: true);
    }
}
