using System.CommandLine;
using System.Text.Json;
using PostalPeak.Demo;
using PostalPeak.Units;

namespace PostalPeak.Cli;

internal static class SampleDataCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out")
        {
            Description = "Folder to write into (default: sample-data/seasons of the source tree around the current folder, else of the current folder).",
            DefaultValueFactory = _ => DefaultOutput(),
        };
        var seed = new Option<int>("--seed") { Description = "Seed of the generator; the same seed gives the same files.", DefaultValueFactory = _ => SampleDataGenerator.DefaultSeed };
        var json = Commands.JsonOption();
        var command = new Command("sample-data", "Write the sample daily reports of six fictional carriers for the Tết seasons 2023–2026, "
            + "with a manifest in upload order, and their duty rosters for the latest season. Needs no database.") { output, seed, json };
        command.SetAction(async parse =>
        {
            // Only the reference files are needed, found where the product itself finds them.
            var reference = ReferenceData.Directory(CommandContext.LoadConfiguration());
            var data = SampleDataGenerator.Generate(reference, parse.GetValue(seed));
            var directory = parse.GetValue(output)!.FullName;
            var bytes = data.WriteTo(directory);
            var summary = new
            {
                directory,
                seed = data.Seed,
                files = data.Files.Count,
                corrections = data.Files.Count(f => f.Kind == "correction"),
                rows = data.Files.Sum(f => f.Rows.Count),
                rosters = data.Rosters.Count,
                bytes,
                seasons = data.Files.Select(f => f.Season).Distinct().ToArray(),
                carriers = SampleCarriers.All.Select(c => c.Code).ToArray(),
            };
            var writer = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
                await writer.WriteLineAsync(JsonSerializer.Serialize(summary, Json));
            else
                await writer.WriteLineAsync($"Wrote {summary.files} report files ({summary.corrections} correction, {summary.rows} rows, "
                    + $"{bytes / 1024} KiB) and {summary.rosters} duty rosters for seasons {string.Join(", ", summary.seasons)} to {directory} with seed {summary.seed}.");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// `dotnet run` starts the program in the project folder, not where it was typed, so a plain relative
    /// default would land in src/PostalPeak. Inside a source tree the sample belongs at its root.
    /// </summary>
    private static DirectoryInfo DefaultOutput()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PostalPeak.sln")))
                return new DirectoryInfo(Path.Combine(directory.FullName, "sample-data", "seasons"));
        }
        return new DirectoryInfo(Path.Combine("sample-data", "seasons"));
    }
}
