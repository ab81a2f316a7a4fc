using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace PostalPeak.Storage;

public static class StorageExtensions
{
    public static IHostApplicationBuilder AddStorage(this IHostApplicationBuilder builder, DatabaseServer database)
    {
        // Columns are snake_case, C# members PascalCase.
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
        builder.Services.AddSingleton(database);
        // Sessions run in UTC whatever the server's default: Hangfire compares its timestamps with NOW(), and
        // PostalPeak converts to Asia/Ho_Chi_Minh itself where a local date or time is meant.
        builder.Services.AddNpgsqlDataSource(new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { Timezone = "UTC" }.ConnectionString);
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        // One application name, whatever folder an instance runs from: the key ring in the database is shared.
        builder.Services.AddDataProtection().SetApplicationName("PostalPeak");
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(services =>
            new ConfigureOptions<KeyManagementOptions>(options => options.XmlRepository = new DatabaseKeyRing(services.GetRequiredService<NpgsqlDataSource>())));
        return builder;
    }

    private sealed class DatabaseHealthCheck(NpgsqlDataSource db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var command = db.CreateCommand("select count(*) from schema_migration");
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (NpgsqlException e)
            {
                return HealthCheckResult.Unhealthy("The database does not answer.", e);
            }
        }
    }
}
