using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace PostalPeak.Tests.Infrastructure;

/// <summary>
/// The real executable running `serve` in a process of its own, with its Hangfire server, on a test
/// database. Tests of work done by background jobs use it: Hangfire keeps process-wide state that dozens of
/// applications started and disposed in the test process would share.
/// </summary>
public sealed partial class ServedApp : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _errors;

    private ServedApp(Process process, Uri url, Task<string> errors, IReadOnlyList<string> startOutput)
    {
        _process = process;
        Url = url;
        _errors = errors;
        StartOutput = startOutput;
    }

    public Uri Url { get; }

    /// <summary>What the command printed up to and including its address.</summary>
    public IReadOnlyList<string> StartOutput { get; }

    public static Task<ServedApp> StartAsync(IDictionary<string, string> environment) =>
        StartAsync(environment, ["serve"], TimeSpan.FromSeconds(90));

    /// <summary>Runs a serving command (`serve`, `demo`) until it prints the address it listens on.</summary>
    public static async Task<ServedApp> StartAsync(IDictionary<string, string> environment, IReadOnlyList<string> command, TimeSpan startTimeout)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "PostalPeak.dll") }.Concat(command).Concat(["--urls", "http://127.0.0.1:0"]))
            start.ArgumentList.Add(argument);
        start.Environment["Storage__Backup__Enabled"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(startTimeout);
        var printed = new List<string>();
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            printed.Add(line);
            if (RunningAt().Match(line) is { Success: true } match)
            {
                _ = process.StandardOutput.ReadToEndAsync();
                return new ServedApp(process, new Uri(match.Groups[1].Value), errors, printed);
            }
        }
        await process.WaitForExitAsync(timeout.Token);
        throw new InvalidOperationException($"{command[0]} exited with {process.ExitCode} before printing its URL: {await errors}");
    }

    public HttpClient Client(string? bearerToken = null)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = Url };
        if (bearerToken is not null)
            client.DefaultRequestHeaders.Authorization = new("Bearer", bearerToken);
        return client;
    }

    /// <summary>What the server wrote to stderr so far is only known once it stopped; this stops it.</summary>
    public async Task<string> StopAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await _process.WaitForExitAsync(timeout.Token);
        }
        return await _errors;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    [GeneratedRegex(@"PostalPeak (?:demo )?is running at (http://\S+)")]
    private static partial Regex RunningAt();
}
