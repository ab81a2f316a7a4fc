using PostalPeak.Demo;

namespace PostalPeak.Tests.Demo;

/// <summary>The default seed's sample, generated once per test run from the reference files beside the tests.</summary>
internal static class Samples
{
    private static readonly Lazy<SampleData> Lazy = new(() => Generate(SampleDataGenerator.DefaultSeed));

    public static string ReferenceDirectory => Path.Combine(AppContext.BaseDirectory, "reference");

    public static SampleData Default => Lazy.Value;

    public static SampleData Generate(int seed) => SampleDataGenerator.Generate(ReferenceDirectory, seed);

    public static string CommittedFolder => Path.Combine(Storage.MigrationTests.RepositoryRoot(), "sample-data", "seasons");

    /// <summary>The rows in force after every file was uploaded in manifest order (a correction replaces its day).</summary>
    public static Dictionary<(string Carrier, string Unit, DateOnly Date), SampleRow> Final(SampleData data, int? season = null)
    {
        var rows = new Dictionary<(string, string, DateOnly), SampleRow>();
        foreach (var file in data.Files.Where(f => season is null || f.Season == season))
        {
            foreach (var row in file.Rows)
                rows[(file.CarrierCode, row.UnitCode, row.ReportDate)] = row;
        }
        return rows;
    }

    /// <summary>The ingestion's backlog tolerance: more than 20 parcels and more than 10% apart.</summary>
    public static bool FarApart(long flow, long counted) => Math.Abs(flow - counted) > Math.Max(20, 0.1 * Math.Max(Math.Abs(flow), counted));
}
