using System.Text.RegularExpressions;
using EvolveDb;
using EvolveDb.Migration;
using Npgsql;

namespace PostalPeak.Storage;

/// <summary>Applies the dated SQL files in Storage/Migrations (embedded in the assembly) with Evolve.</summary>
internal static partial class Migrator
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
        evolve.MigrationLoader = new ServerParsedLoader(new EmbeddedResourceMigrationLoader(evolve));
        evolve.Migrate();
        return new Outcome(evolve.NbMigration, evolve.AppliedMigrations.LastOrDefault() ?? "");
    }

    /// <summary>
    /// Npgsql splits a command's text into statements at every semicolon outside quotes, and does not know that the
    /// semicolons of a SQL-standard function body (<c>begin atomic … end</c>) belong to that body: such a script fails
    /// with "syntax error at end of input". A script that has one is handed to the server whole instead, inside a
    /// <c>do</c> block that executes it, so PostgreSQL's own parser splits it. Its checksum stays the file's own.
    /// </summary>
    private sealed class ServerParsedLoader(IMigrationLoader files) : IMigrationLoader
    {
        public IEnumerable<MigrationScript> GetMigrations() => files.GetMigrations().Select(Adapt);
        public IEnumerable<MigrationScript> GetRepeatableMigrations() => files.GetRepeatableMigrations().Select(Adapt);

        private static MigrationScript Adapt(MigrationScript script) => BeginAtomic().IsMatch(script.Content) ? new ServerParsedScript(script) : script;
    }

    private sealed class ServerParsedScript(MigrationScript file)
        : MigrationScript(file.Version?.Label, file.Description, file.Name, Wrap(file.Content), file.Type)
    {
        public override string CalculateChecksum() => file.CalculateChecksum();
        public override bool IsTransactionEnabled => file.IsTransactionEnabled;
        public override bool MustRepeatAlways => file.MustRepeatAlways;

        private static string Wrap(string sql)
        {
            var n = 0;
            while (sql.Contains($"$migration{n}$", StringComparison.Ordinal) || sql.Contains($"$wrapper{n}$", StringComparison.Ordinal))
                n++;
            return $"do $wrapper{n}$ begin execute $migration{n}${sql}$migration{n}$; end $wrapper{n}$;";
        }
    }

    [GeneratedRegex(@"\bbegin\s+atomic\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BeginAtomic();
}
