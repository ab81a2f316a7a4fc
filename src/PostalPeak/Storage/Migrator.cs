using EvolveDb;
using Npgsql;

namespace PostalPeak.Storage;

/// <summary>Applies the dated SQL files in Storage/Migrations (embedded in the assembly) with Evolve.</summary>
internal static class Migrator
{
    public sealed record Outcome(int Applied, string SchemaVersion);

    public static Outcome Migrate(string connectionString, ILogger logger)
    {
        using var connection = new NpgsqlConnection(connectionString);
        var evolve = new Evolve(connection, message => logger.LogDebug("{Message}", message))
        {
            EmbeddedResourceAssemblies = [typeof(Migrator).Assembly],
            EmbeddedResourceFilters = ["PostalPeak.Storage.Migrations"],
            MetadataTableSchema = "public",
            MetadataTableName = "schema_migration",
            // Erasing a database is never a migration step.
            IsEraseDisabled = true,
            // Several PostalPeak processes may start at once; Evolve serialises them with an advisory lock.
            EnableClusterMode = true,
        };
        evolve.Migrate();
        return new Outcome(evolve.NbMigration, evolve.AppliedMigrations.LastOrDefault() ?? "");
    }
}
