using Dapper;
using Npgsql;

namespace PostalPeak.Units;

public static class UnitEndpoints
{
    public sealed record Unit(string Code, string Name, string Level, string ProvinceCode, DateOnly ValidFrom, DateOnly? ValidTo);

    /// <summary>
    /// A page's unit filter, trimmed (blank: none); a code that is neither a unit of the reference data nor in the
    /// carrier's figures is a 404 that says so.
    /// </summary>
    public static async Task<string?> KnownAsync(NpgsqlDataSource db, string? unit, string? carrierCode, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(unit))
            return null;
        var code = unit.Trim();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var known = await connection.ExecuteScalarAsync<bool>(new CommandDefinition("""
            select exists (select 1 from admin_unit where code = @code)
                or exists (select 1 from daily_indicator i join carrier c on c.id = i.carrier_id
                           where i.unit_code = @code and (@carrierCode::text is null or c.code = @carrierCode))
            """, new { code, carrierCode }, cancellationToken: cancellationToken));
        return known ? code
            : throw new Shell.InputException("not_found", $"No unit with code {code}.", StatusCodes.Status404NotFound) { Key = "Error.UnitNotFound", Args = ["unit", code] };
    }

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
