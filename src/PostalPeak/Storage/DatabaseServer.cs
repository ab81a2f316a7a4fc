using Npgsql;

namespace PostalPeak.Storage;

/// <summary>
/// The database PostalPeak works in: the configured server (ConnectionStrings:PostalPeak), or else its
/// private embedded cluster, which this object stops when disposed.
/// </summary>
public sealed class DatabaseServer : IAsyncDisposable
{
    public const string ConnectionStringName = "PostalPeak";

    private DatabaseServer(string connectionString, EmbeddedPostgres? embedded)
    {
        ConnectionString = connectionString;
        Embedded = embedded;
    }

    public string ConnectionString { get; }
    public EmbeddedPostgres? Embedded { get; }

    /// <summary>
    /// A server nothing connects to: a command builds its services with it once to check its settings before the real
    /// database is started or touched.
    /// </summary>
    internal static DatabaseServer NotPrepared { get; } = new("Host=not-prepared", null);

    /// <summary>Finds or starts the database, then brings its schema and reference data up to date.</summary>
    public static async Task<DatabaseServer> PrepareAsync(IConfiguration configuration, ILoggerFactory loggerFactory, CancellationToken cancellationToken = default)
    {
        var logger = loggerFactory.CreateLogger<DatabaseServer>();
        var configured = configuration.GetConnectionString(ConnectionStringName);
        DatabaseServer server;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            server = new DatabaseServer(configured, null);
        }
        else
        {
            var options = configuration.GetSection(EmbeddedPostgresOptions.Section).Get<EmbeddedPostgresOptions>() ?? new EmbeddedPostgresOptions();
            var embedded = await EmbeddedPostgres.StartAsync(options, loggerFactory.CreateLogger<EmbeddedPostgres>(), cancellationToken);
            server = new DatabaseServer(embedded.ConnectionString, embedded);
        }

        try
        {
            await server.MigrateAsync(configuration, logger, cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task MigrateAsync(IConfiguration configuration, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = Migrator.Migrate(ConnectionString, logger);
            if (outcome.Applied > 0)
                logger.LogInformation("Applied {Count} migration(s); schema version {Version}", outcome.Applied, outcome.SchemaVersion);
            await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
            await Units.ReferenceData.LoadAsync(dataSource, Units.ReferenceData.Directory(configuration), cancellationToken);
            // The seasons of the sample data (2023 on) up to next year's, created once and then left to the administrator.
            // Later years come from Calendar.ComingSeasonJob, earlier ones with the first upload that has days in them.
            await Calendar.Seasons.EnsureAsync(dataSource, 2023, DateTime.UtcNow.Year + 1, cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or EvolveDb.EvolveException)
        {
            throw new EmbeddedPostgresException(
                $"Could not prepare the database ({Redacted()}): {e.Message}. "
                + "Check ConnectionStrings__PostalPeak, or remove it to use the private database.", e);
        }
    }

    /// <summary>The connection string without its password, for messages.</summary>
    public string Redacted()
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Password = null };
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }

    public ValueTask DisposeAsync() => Embedded?.DisposeAsync() ?? ValueTask.CompletedTask;
}
