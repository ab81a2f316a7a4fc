extern alias app;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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
    public required IHost Host { get; init; }

    /// <summary>A service as `serve` registers it (the same composition root).</summary>
    public T Get<T>() where T : notnull => Host.Services.GetRequiredService<T>();

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
        // With a connection string the server is the cluster's: disposing it leaves the cluster running.
        await using var database = await DatabaseServer.PrepareAsync(configuration, NullLoggerFactory.Instance);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        app::Program.AddFeatures(builder, database);
        var host = builder.Build();
        return new BenchDatabase { Cluster = cluster, Db = host.Services.GetRequiredService<NpgsqlDataSource>(), Work = work, Host = host };
    }

    public async ValueTask DisposeAsync()
    {
        Host.Dispose();
        await Cluster.DisposeAsync();
        Directory.Delete(Work, recursive: true);
    }
}
