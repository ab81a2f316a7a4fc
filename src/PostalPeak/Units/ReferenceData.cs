using CsvHelper;
using Dapper;
using Npgsql;

namespace PostalPeak.Units;

/// <summary>
/// Loads the administrative units PostalPeak checks reports against, from the CSV files in
/// sample-data/reference (copied beside the executable as reference/). Idempotent: run at every start.
/// </summary>
public static class ReferenceData
{
    /// <summary>The province PostalPeak serves: Thanh Hóa (GSO code 38). Its 2023 districts file ships with PostalPeak.</summary>
    public const string DefaultProvinceCode = "38";

    /// <summary>The last day carriers reported by district; communes are in force from the next day.</summary>
    public static readonly DateOnly DistrictsValidTo = new(2025, 6, 30);
    public static readonly DateOnly CommunesValidFrom = new(2025, 7, 1);

    /// <summary>The 2023 district list is the one in force from 2021 (Nghi Sơn became a town in 2020); earlier history is not modelled.</summary>
    public static readonly DateOnly DistrictsValidFrom = new(2021, 1, 1);

    public static string Directory(IConfiguration configuration) =>
        configuration["Storage:ReferenceDirectory"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "reference");

    public sealed record Summary(int Districts, int Communes, int CrosswalkRows);

    public static async Task<Summary> LoadAsync(NpgsqlDataSource db, string directory, CancellationToken cancellationToken, string provinceCode = DefaultProvinceCode)
    {
        var districts = ReadRows(Path.Combine(directory, "thanh-hoa-districts-2023.csv"), "gso_code", "name_with_type", "parent_code")
            .Where(r => r[2] == provinceCode)
            .Select(r => new UnitRow(r[0], r[1], "district", provinceCode, DistrictsValidFrom, DistrictsValidTo))
            .ToList();
        var communes = ReadRows(Path.Combine(directory, "vn-communes-2025.csv"), "commune_code", "commune_name", "province_code")
            .Where(r => r[2] == provinceCode)
            .Select(r => new UnitRow(r[0], r[1], "commune", provinceCode, CommunesValidFrom, null))
            .ToList();
        var crosswalk = ReadRows(Path.Combine(directory, "thanh-hoa-crosswalk-2025.csv"), "commune_code", "district_code_2023", "old_communes_merged", "merge_types")
            .Where(r => communes.Any(c => c.Code == r[0]))
            .Select(r => new { CommuneCode = r[0], DistrictCode = r[1], FormerCommunes = int.Parse(r[2], System.Globalization.CultureInfo.InvariantCulture), MergeTypes = r[3] })
            .ToList();

        const string upsertUnit = """
            insert into admin_unit (code, name, level, province_code, valid_from, valid_to)
            values (@Code, @Name, @Level, @ProvinceCode, @ValidFrom, @ValidTo)
            on conflict (code, valid_from) do update
            set name = excluded.name, level = excluded.level, province_code = excluded.province_code, valid_to = excluded.valid_to
            where (admin_unit.name, admin_unit.level, admin_unit.province_code, admin_unit.valid_to)
                  is distinct from (excluded.name, excluded.level, excluded.province_code, excluded.valid_to)
            """;
        const string upsertCrosswalk = """
            insert into unit_crosswalk (commune_code, district_code, former_communes, merge_types)
            values (@CommuneCode, @DistrictCode, @FormerCommunes, @MergeTypes)
            on conflict (commune_code, district_code) do update
            set former_communes = excluded.former_communes, merge_types = excluded.merge_types
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(upsertUnit, districts.Concat(communes), transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(upsertCrosswalk, crosswalk, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new Summary(districts.Count, communes.Count, crosswalk.Count);
    }

    private sealed record UnitRow(string Code, string Name, string Level, string ProvinceCode, DateOnly ValidFrom, DateOnly? ValidTo);

    /// <summary>The named columns of every row of a reference CSV file, trimmed.</summary>
    internal static List<string[]> ReadRows(string path, params string[] columns)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Reference data file {path} is missing; PostalPeak ships it in its reference/ folder.", path);
        using var reader = CsvReader.FromFile(path);
        var rows = new List<string[]>();
        while (reader.Read())
            rows.Add(columns.Select(c => reader.GetString(c).Trim()).ToArray());
        return rows;
    }
}
