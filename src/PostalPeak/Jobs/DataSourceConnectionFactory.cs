using Hangfire.PostgreSql;
using Npgsql;

namespace PostalPeak.Jobs;

/// <summary>Hangfire opens and disposes each connection it gets, so it gets a new one from the shared pool every time.</summary>
internal sealed class DataSourceConnectionFactory(NpgsqlDataSource dataSource) : IConnectionFactory
{
    public NpgsqlConnection GetOrCreateConnection() => dataSource.CreateConnection();
}
