using System.Globalization;
using CsvHelper;
using PostalPeak.Units;

namespace PostalPeak.Demo;

/// <summary>A unit carriers report by, with its share of the province's parcels (the shares of a list add up to 1).</summary>
public sealed record SampleUnit(string Code, string Name, double Weight);

/// <summary>
/// The units of Thanh Hóa read from the same reference files the product loads, weighted so that towns
/// carry more parcels than upland villages: towns and wards are denser, and a 2025 commune formed from
/// many former communes serves more people.
/// </summary>
public static class SampleUnits
{
    // The mountainous districts of western Thanh Hóa: sparse population, few parcels.
    private static readonly string[] Upland =
        ["Mường Lát", "Quan Hóa", "Quan Sơn", "Bá Thước", "Lang Chánh", "Thường Xuân", "Như Xuân", "Như Thanh", "Ngọc Lặc", "Cẩm Thủy", "Thạch Thành"];

    public sealed record Lists(IReadOnlyList<SampleUnit> Districts2023, IReadOnlyList<SampleUnit> Communes2025);

    public static Lists Load(string referenceDirectory, int seed)
    {
        var districtRows = Units.ReferenceData.ReadRows(Path.Combine(referenceDirectory, "thanh-hoa-districts-2023.csv"), "gso_code", "name_with_type", "parent_code")
            .Where(r => r[2] == ReferenceData.DefaultProvinceCode).ToList();
        var districtFactor = districtRows.ToDictionary(r => r[0], r => DistrictFactor(r[0], r[1]));
        var districts = districtRows
            .Select(r => new SampleUnit(r[0], r[1], districtFactor[r[0]] * new SeededRandom(seed, "unit:" + r[0]).Between(0.85, 1.15)))
            .ToList();

        var crosswalk = Units.ReferenceData.ReadRows(Path.Combine(referenceDirectory, "thanh-hoa-crosswalk-2025.csv"), "commune_code", "district_code_2023", "old_communes_merged")
            .GroupBy(r => r[0])
            .ToDictionary(g => g.Key, g => (District: g.First()[1], Former: g.Sum(r => int.Parse(r[2], CultureInfo.InvariantCulture))));
        var communes = Units.ReferenceData.ReadRows(Path.Combine(referenceDirectory, "vn-communes-2025.csv"), "commune_code", "commune_name", "province_code")
            .Where(r => r[2] == ReferenceData.DefaultProvinceCode)
            .Select(r =>
            {
                var (district, former) = crosswalk.TryGetValue(r[0], out var c) ? c : ("", 3);
                var upland = districtFactor.TryGetValue(district, out var f) && f < 1 ? 0.5 : 1.0;
                var type = r[1].StartsWith("Phường", StringComparison.Ordinal) ? 2.5 : 1.0;
                var size = Math.Clamp(former, 1, 12) / 3.0;
                return new SampleUnit(r[0], r[1], type * upland * size * new SeededRandom(seed, "unit:" + r[0]).Between(0.85, 1.15));
            })
            .ToList();
        return new Lists(Normalise(districts), Normalise(communes));
    }

    private static double DistrictFactor(string code, string name) => name switch
    {
        _ when code == "380" => 7.0, // the provincial capital
        _ when name.StartsWith("Thành phố", StringComparison.Ordinal) => 3.0,
        _ when name.StartsWith("Thị xã", StringComparison.Ordinal) => 2.5,
        _ when Upland.Any(u => name.EndsWith(u, StringComparison.Ordinal)) => 0.5,
        _ => 1.2,
    };

    private static List<SampleUnit> Normalise(List<SampleUnit> units)
    {
        var total = units.Sum(u => u.Weight);
        return units.Select(u => u with { Weight = u.Weight / total }).ToList();
    }
}
