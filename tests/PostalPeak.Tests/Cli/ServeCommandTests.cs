namespace PostalPeak.Tests.Cli;

/// <summary>The README's run command as a user meets it: no configuration, its own PostgreSQL, a URL printed.</summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "postalpeak-serve-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task ServesWithNoConfigurationStopsItsDatabaseOnShutdownAndKeepsTheDataForTheNextStart()
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__PostalPeak"] = "",
            ["Storage__Embedded__DataDirectory"] = _directory,
        };

        // ServedApp stops the process as a service manager or Ctrl+C would: SIGTERM, then wait.
        await using (var first = await ServedApp.StartAsync(environment))
        {
            using var client = first.Client();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
            var signIn = await client.GetAsync("/account/sign-in");
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
            Assert.Contains("Đăng nhập", await signIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            // A command beside the running server shares its PostgreSQL and leaves it running.
            Assert.Equal(0, (await CommandLineTests.RunAsync(environment, "carrier", "add", "--code", "KEEP", "--name", "Kept")).ExitCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        }

        Assert.False(File.Exists(Path.Combine(_directory, "server", "data", "postmaster.pid")), "PostgreSQL should stop with the app");

        await using (await ServedApp.StartAsync(environment))
        {
            var list = await CommandLineTests.RunAsync(environment, "carrier", "list");
            Assert.Contains("KEEP", list.Output, StringComparison.Ordinal);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }
}
