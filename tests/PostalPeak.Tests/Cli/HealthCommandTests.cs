using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using PostalPeak.Cli;

namespace PostalPeak.Tests.Cli;

/// <summary>`health`, the container health check: the real executable asking a real app.</summary>
public sealed class HealthCommandTests : IDisposable
{
    private readonly string _noDatabase = Path.Combine(Path.GetTempPath(), "postalpeak-health-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task ExitsZeroWhenTheServedAppAnswersItsHealthAddressFoundThroughTheUrlsSetting()
    {
        await using var app = await TestApp.StartAsync();
        await using var served = await ServedApp.StartAsync(new Dictionary<string, string> { ["ConnectionStrings__PostalPeak"] = app.ConnectionString });

        var explicitUrl = await CommandLineTests.RunAsync(NoDatabase(), "health", "--url", new Uri(served.Url, "/healthz").ToString());
        var fromSetting = await CommandLineTests.RunAsync(NoDatabase(("urls", served.Url.ToString())), "health");

        Assert.Equal(ExitCodes.Success, explicitUrl.ExitCode);
        Assert.Contains("answered 200", explicitUrl.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, fromSetting.ExitCode);
        Assert.Contains(new Uri(served.Url, "/healthz").ToString(), fromSetting.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExitsNonZeroWhenTheAddressAnswersSomethingOtherThan200()
    {
        await using var app = await TestApp.StartAsync();

        // An API address that needs a sign-in: the app is up, but this is not a health answer.
        var result = await CommandLineTests.RunAsync(NoDatabase(), "health", "--url", new Uri(app.BaseAddress, "/api/v1/me").ToString());

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("answered 401", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExitsNonZeroWithOneClearLineWhenNothingListensAndNeverStartsADatabase()
    {
        var url = $"http://127.0.0.1:{FreePort()}/healthz";

        var result = await CommandLineTests.RunAsync(NoDatabase(), "health", "--url", url);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"Unhealthy: {url} did not answer", line, StringComparison.Ordinal);
        Assert.Equal("", result.Output);
        // Had it opened the database, it would have exited 69 or created the private cluster's folder.
        Assert.False(Directory.Exists(_noDatabase));
    }

    [Theory]
    [InlineData(null, "http://127.0.0.1:5080/healthz")]
    [InlineData("http://+:8080", "http://127.0.0.1:8080/healthz")]
    [InlineData("http://0.0.0.0:8080;https://*:8443", "http://127.0.0.1:8080/healthz")]
    [InlineData("http://[::]:8080", "http://[::1]:8080/healthz")]
    [InlineData("http://127.0.0.1:0", "http://127.0.0.1:5080/healthz")]
    public void TheDefaultAddressIsTheHealthPathOnTheFirstListenAddressReachedThroughLoopback(string? urls, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = urls }).Build();

        Assert.Equal(expected, HealthCommand.DefaultUrl(configuration));
    }

    /// <summary>Settings under which any attempt to reach a database fails: no server configured, no binaries searched.</summary>
    private Dictionary<string, string> NoDatabase(params (string Key, string Value)[] more)
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__PostalPeak"] = "",
            ["Storage__Embedded__SearchSystem"] = "false",
            ["Storage__Embedded__DataDirectory"] = _noDatabase,
        };
        foreach (var (key, value) in more)
            environment[key] = value;
        return environment;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (Directory.Exists(_noDatabase))
            Directory.Delete(_noDatabase, recursive: true);
    }
}
