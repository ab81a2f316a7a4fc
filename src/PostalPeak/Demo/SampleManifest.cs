using System.Globalization;

namespace PostalPeak.Demo;

/// <summary>One line of the sample's manifest.csv: a file, whose report it is, and in which order it is uploaded.</summary>
public sealed record SampleManifestEntry(string File, string CarrierCode, int Season, DateOnly ReportDate, string Kind, string Incident)
{
    /// <summary>The manifest in upload order. The generator writes it, so a plain split is enough (no field holds a comma).</summary>
    public static IReadOnlyList<SampleManifestEntry> Read(string folder) =>
        System.IO.File.ReadLines(Path.Combine(folder, SampleData.ManifestFile)).Skip(1)
            .Where(line => line.Length > 0)
            .Select(line => line.Split(','))
            .Select(f => new SampleManifestEntry(f[0], f[1], int.Parse(f[2], CultureInfo.InvariantCulture),
                DateOnly.ParseExact(f[3], "yyyy-MM-dd", CultureInfo.InvariantCulture), f[4], f.Length > 5 ? f[5] : ""))
            .ToList();

    /// <summary>
    /// Where the sample seasons are: beside the executable (a published build carries them as sample-seasons/),
    /// else sample-data/seasons of the source tree around the working folder or the executable.
    /// </summary>
    public static string? FindFolder(string? configured = null)
    {
        if (!string.IsNullOrWhiteSpace(configured))
            return System.IO.File.Exists(Path.Combine(configured, SampleData.ManifestFile)) ? Path.GetFullPath(configured) : null;
        var beside = Path.Combine(AppContext.BaseDirectory, "sample-seasons");
        if (System.IO.File.Exists(Path.Combine(beside, SampleData.ManifestFile)))
            return beside;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                var candidate = Path.Combine(folder.FullName, "sample-data", "seasons");
                if (System.IO.File.Exists(Path.Combine(candidate, SampleData.ManifestFile)))
                    return candidate;
            }
        }
        return null;
    }
}
