using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PostalPeak.Storage;

namespace PostalPeak.Tests.Storage;

public sealed class MigrationTests
{
    [Fact]
    public async Task PreparingTwiceChangesNothingTheSecondTime()
    {
        var connectionString = await TestDatabase.CreateAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:PostalPeak"] = connectionString,
        }).Build();

        await using (await DatabaseServer.PrepareAsync(configuration, NullLoggerFactory.Instance))
        {
        }

        await using var connection = new NpgsqlConnection(connectionString);
        var migrations = await connection.QuerySingleAsync<long>("select count(*) from schema_migration where type = 0");
        var units = await connection.QueryAsync<(string Level, long Count)>("select level, count(*) from admin_unit group by level order by level");
        Assert.Equal(Directory.GetFiles(Path.Combine(RepositoryRoot(), "src", "PostalPeak", "Storage", "Migrations"), "*.sql").Length, migrations);
        Assert.Equal([("commune", 166L), ("district", 27L)], units);
    }

    [Fact]
    public async Task UnitsCarryTheirValidityAcrossThe2025Reform()
    {
        var connectionString = await TestDatabase.CreateAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        const string inForce = """
            select level, count(*) from admin_unit
            where valid_from <= @day and (valid_to is null or valid_to >= @day) group by level
            """;

        var before = (await connection.QueryAsync<(string, long)>(inForce, new { day = new DateOnly(2025, 6, 30) })).ToList();
        var after = (await connection.QueryAsync<(string, long)>(inForce, new { day = new DateOnly(2025, 7, 1) })).ToList();
        var crosswalk = await connection.QuerySingleAsync<long>("select count(distinct commune_code) from unit_crosswalk");

        Assert.Equal([("district", 27L)], before);
        Assert.Equal([("commune", 166L)], after);
        Assert.Equal(166, crosswalk);
    }

    [Fact]
    public async Task TheSameUnitCodeCannotBeInForceTwiceOnOneDay()
    {
        var connectionString = await TestDatabase.CreateAsync();
        await using var connection = new NpgsqlConnection(connectionString);

        var error = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(
            "insert into admin_unit (code, name, level, province_code, valid_from, valid_to) values ('380', 'Overlap', 'district', '38', '2024-01-01', null)"));

        Assert.Equal(PostgresErrorCodes.ExclusionViolation, error.SqlState);
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PostalPeak.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Not inside the repository.");
    }
}
