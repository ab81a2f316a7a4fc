using System.Globalization;
using System.Text;

namespace PostalPeak.Demo;

/// <summary>One generated file: a carrier's daily report or its correction, with the rows it holds.</summary>
public sealed record SampleFile(string Path, string CarrierCode, int Season, DateOnly ReportDate, string Kind, string Incident,
    IReadOnlyList<SampleRow> Rows, byte[] Content);

/// <summary>
/// The generated sample: the report files in upload order, plus carriers.csv and manifest.csv that
/// say who the carriers are and in which order the files are to be uploaded, and the latest season's
/// duty rosters with rosters.csv listing them.
/// </summary>
public sealed record SampleData(int Seed, IReadOnlyList<SampleFile> Files, IReadOnlyList<Incident> Incidents, IReadOnlyList<SampleRoster> Rosters)
{
    public const string CarriersFile = "carriers.csv";
    public const string ManifestFile = "manifest.csv";

    public static byte[] CarriersCsv() =>
        Encoding.UTF8.GetBytes(CsvText.Line("code", "name") + string.Concat(SampleCarriers.All.Select(c => CsvText.Line(c.Code, c.Name))));

    public byte[] ManifestCsv() =>
        Encoding.UTF8.GetBytes(CsvText.Line("file", "carrier_code", "season", "report_date", "kind", "incident")
            + string.Concat(Files.Select(f => CsvText.Line(f.Path, f.CarrierCode, f.Season.ToString(CultureInfo.InvariantCulture),
                f.ReportDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), f.Kind, f.Incident))));

    public byte[] RostersCsv() =>
        Encoding.UTF8.GetBytes(CsvText.Line("file", "carrier_code", "season")
            + string.Concat(Rosters.Select(r => CsvText.Line(r.Path, r.CarrierCode, r.Season.ToString(CultureInfo.InvariantCulture)))));

    /// <summary>Every file with its path relative to the output folder ('/'-separated).</summary>
    public IEnumerable<(string Path, byte[] Content)> Contents()
    {
        yield return (CarriersFile, CarriersCsv());
        yield return (ManifestFile, ManifestCsv());
        yield return (SampleRosters.ListFile, RostersCsv());
        foreach (var file in Files)
            yield return (file.Path, file.Content);
        foreach (var roster in Rosters)
            yield return (roster.Path, roster.Content);
    }

    /// <summary>
    /// Writes every file under <paramref name="directory"/>. Report files left by an earlier run in the
    /// season folders are removed first, so another seed cannot leave a stale day behind.
    /// </summary>
    public long WriteTo(string directory)
    {
        foreach (var season in Files.Select(f => f.Season).Concat(Rosters.Select(r => r.Season)).Distinct())
        {
            var folder = Path.Combine(directory, season.ToString(CultureInfo.InvariantCulture));
            if (Directory.Exists(folder))
            {
                foreach (var stale in Directory.GetFiles(folder, "*.csv", SearchOption.AllDirectories))
                    File.Delete(stale);
            }
        }
        long bytes = 0;
        foreach (var (path, content) in Contents())
        {
            var target = Path.Combine(directory, path.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllBytes(target, content);
            bytes += content.Length;
        }
        return bytes;
    }
}
