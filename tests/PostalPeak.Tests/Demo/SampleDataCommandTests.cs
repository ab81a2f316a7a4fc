using System.Text.Json;
using PostalPeak.Cli;
using PostalPeak.Tests.Cli;

namespace PostalPeak.Tests.Demo;

public sealed class SampleDataCommandTests
{
    [Fact]
    public async Task TheCommandWritesTheSampleWithoutADatabase()
    {
        var directory = Path.Combine(Path.GetTempPath(), "postalpeak-sample-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            // An unreachable server: the command must not even try it.
            var result = await CommandLineTests.RunAsync(new Dictionary<string, string>
            {
                ["ConnectionStrings__PostalPeak"] = "Host=127.0.0.1;Port=1;Database=x;Username=u;Password=p;Timeout=1",
            }, "sample-data", "--out", directory, "--seed", "7", "--json");

            Assert.Equal(ExitCodes.Success, result.ExitCode);
            var summary = JsonDocument.Parse(result.Output).RootElement;
            Assert.Equal(7, summary.GetProperty("seed").GetInt32());
            var expected = Samples.Generate(7).Contents().ToList();
            // Besides the report files: carriers.csv, manifest.csv, rosters.csv and one roster per carrier.
            Assert.Equal(6, summary.GetProperty("rosters").GetInt32());
            Assert.Equal(expected.Count - 3 - 6, summary.GetProperty("files").GetInt32());
            Assert.All(expected, file => Assert.Equal(file.Content, File.ReadAllBytes(Path.Combine(directory, file.Path))));
        }
        finally
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
    }
}
