using Dapper;
using Npgsql;

namespace PostalPeak.Units;

public static class UnitEndpoints
{
    public sealed record Unit(string Code, string Name, string Level, string ProvinceCode, DateOnly ValidFrom, DateOnly? ValidTo);

    public static WebApplication MapUnits(this WebApplication app)
    {
        // The units a report for that day must use: districts before 1 July 2025, communes from then on.
        app.MapGet("/api/v1/units", async (DateOnly? date, NpgsqlDataSource db) =>
        {
            const string sql = """
                select code, name, level, province_code, valid_from, valid_to from admin_unit
                where @date::date is null or (valid_from <= @date and (valid_to is null or valid_to >= @date))
                order by level, code
                """;
            await using var connection = await db.OpenConnectionAsync();
            return (await connection.QueryAsync<Unit>(sql, new { date })).AsList();
        }).WithTags("Units");
        return app;
    }
}
