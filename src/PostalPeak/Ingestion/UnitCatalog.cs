using Dapper;
using Npgsql;

namespace PostalPeak.Ingestion;

/// <summary>The administrative units with their validity, loaded once per upload (a few hundred rows).</summary>
public sealed class UnitCatalog
{
    private readonly Dictionary<string, List<(DateOnly From, DateOnly? To)>> _units;

    private UnitCatalog(Dictionary<string, List<(DateOnly, DateOnly?)>> units) => _units = units;

    public static async Task<UnitCatalog> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction = null)
    {
        var rows = await connection.QueryAsync<(string Code, DateOnly ValidFrom, DateOnly? ValidTo)>(
            "select code, valid_from, valid_to from admin_unit", transaction: transaction);
        var units = new Dictionary<string, List<(DateOnly, DateOnly?)>>(StringComparer.Ordinal);
        foreach (var (code, from, to) in rows)
        {
            if (!units.TryGetValue(code, out var ranges))
                units[code] = ranges = [];
            ranges.Add((from, to));
        }
        return new UnitCatalog(units);
    }

    /// <summary>A catalogue from given units, for tests of the reader alone.</summary>
    internal static UnitCatalog From(IEnumerable<(string Code, DateOnly From, DateOnly? To)> units) =>
        new(units.GroupBy(u => u.Code).ToDictionary(g => g.Key, g => g.Select(u => (u.From, u.To)).ToList(), StringComparer.Ordinal));

    public bool IsInForce(string code, DateOnly day) =>
        _units.TryGetValue(code, out var ranges) && ranges.Any(r => r.From <= day && (r.To is null || r.To >= day));
}
