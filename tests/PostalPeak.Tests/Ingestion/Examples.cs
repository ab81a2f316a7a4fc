namespace PostalPeak.Tests.Ingestion;

/// <summary>The example files of sample-data/examples and the result each must give (examples.csv).</summary>
public static class Examples
{
    public const string Carrier = "ALPHA";
    public const long SizeLimit = 4096;

    public sealed record Example(string File, string Status, IReadOnlySet<string> Codes)
    {
        public string Path => System.IO.Path.Combine(Folder, File);
        public override string ToString() => File;
    }

    public static string Folder => System.IO.Path.Combine(Storage.MigrationTests.RepositoryRoot(), "sample-data", "examples");

    public static IReadOnlyList<Example> All() =>
        File.ReadAllLines(System.IO.Path.Combine(Folder, "examples.csv")).Skip(1)
            .Where(line => line.Length > 0)
            .Select(line => line.Split(','))
            .Select(f => new Example(f[0], f[1], f[2].Split(';', StringSplitOptions.RemoveEmptyEntries).ToHashSet()))
            .ToList();

    /// <summary>The same settings for a served process, on the test application's database.</summary>
    public static Dictionary<string, string> Environment(TestApp app) => new()
    {
        ["ConnectionStrings__PostalPeak"] = app.ConnectionString,
        ["Ingestion__MaxUploadBytes"] = SizeLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Ingestion__UploadsPerMinute"] = "1000",
    };

    public static readonly IDictionary<string, string?> Settings = new Dictionary<string, string?>
    {
        ["Ingestion:MaxUploadBytes"] = SizeLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Ingestion:UploadsPerMinute"] = "1000",
    };
}
