using System.Diagnostics;
using System.Text.RegularExpressions;

namespace PostalPeak.Tests.Cli;

/// <summary>The README's run command as a user meets it: no configuration, its own PostgreSQL, a URL printed.</summary>
public sealed partial class ServeCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "postalpeak-serve-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task ServesWithNoConfigurationStopsItsDatabaseOnShutdownAndKeepsTheDataForTheNextStart()
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__PostalPeak"] = "",
            ["Storage__Embedded__DataDirectory"] = _directory,
            ["Storage__Backup__Enabled"] = "false",
        };

        await using (var first = await ServeAsync(environment))
        {
            using var client = new HttpClient { BaseAddress = first.Url };
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
            var signIn = await client.GetAsync("/account/sign-in");
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
            Assert.Contains("Đăng nhập", await signIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            // A command beside the running server shares its PostgreSQL and leaves it running.
            Assert.Equal(0, (await CommandLineTests.RunAsync(environment, "carrier", "add", "--code", "KEEP", "--name", "Kept")).ExitCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        }

        Assert.False(File.Exists(Path.Combine(_directory, "server", "data", "postmaster.pid")), "PostgreSQL should stop with the app");

        await using (var second = await ServeAsync(environment))
        {
            var list = await CommandLineTests.RunAsync(environment, "carrier", "list");
            Assert.Contains("KEEP", list.Output, StringComparison.Ordinal);
        }
    }

    private sealed class Served(Process process, Uri url) : IAsyncDisposable
    {
        public Uri Url { get; } = url;

        /// <summary>Stops the app as a service manager or Ctrl+C would: SIGTERM, then wait.</summary>
        public async ValueTask DisposeAsync()
        {
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            process.Dispose();
        }
    }

    private static async Task<Served> ServeAsync(IDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "PostalPeak.dll"), "serve", "--urls", "http://127.0.0.1:0" })
            start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        var process = Process.Start(start)!;
        _ = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (RunningAt().Match(line) is { Success: true } match)
            {
                _ = process.StandardOutput.ReadToEndAsync();
                return new Served(process, new Uri(match.Groups[1].Value));
            }
        }
        throw new InvalidOperationException($"serve exited with {process.ExitCode} before printing its URL.");
    }

    [GeneratedRegex(@"PostalPeak is running at (http://\S+)")]
    private static partial Regex RunningAt();

    public void Dispose()
    {
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }
}
