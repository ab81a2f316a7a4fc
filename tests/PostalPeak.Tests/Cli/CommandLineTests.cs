using System.Diagnostics;
using System.Text.Json;
using PostalPeak.Cli;

namespace PostalPeak.Tests.Cli;

/// <summary>The real executable, run as an operator would, against a test database.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task BootstrapsACarrierAManagerAndATokenThatTheApiAccepts()
    {
        await using var app = await TestApp.StartAsync();
        var env = new Dictionary<string, string> { ["ConnectionStrings__PostalPeak"] = app.ConnectionString };

        var carrier = await RunAsync(env, "carrier", "add", "--code", "BETA", "--name", "Bưu chính Beta", "--email", "ops@beta.example", "--json");
        var user = await RunAsync(env, "user", "add", "--name", "beta.manager", "--role", "CarrierManager", "--carrier", "BETA", "--json");
        var token = await RunAsync(env, "token", "create", "--carrier", "BETA", "--name", "nightly upload", "--json");

        Assert.Equal(ExitCodes.Success, carrier.ExitCode);
        Assert.Equal("Bưu chính Beta", JsonDocument.Parse(carrier.Output).RootElement.GetProperty("name").GetString());
        Assert.Equal(ExitCodes.Success, user.ExitCode);
        var password = JsonDocument.Parse(user.Output).RootElement.GetProperty("generated_password").GetString()!;
        Assert.Equal(ExitCodes.Success, token.ExitCode);
        var secret = JsonDocument.Parse(token.Output).RootElement.GetProperty("secret").GetString()!;

        using var machine = app.Client(secret);
        Assert.Equal("BETA", (await machine.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("carrier_code").GetString());
        using var person = await app.SignedInClientAsync("beta.manager", password);
        Assert.Equal("CarrierManager", (await person.GetFromJsonAsync<JsonElement>("/api/v1/me")).GetProperty("role").GetString());
        Assert.Equal(3, await app.CountAuditAsync("carrier.add") + await app.CountAuditAsync("user.add") + await app.CountAuditAsync("token.create"));
    }

    [Fact]
    public async Task RefusedInputExitsWith65AndSaysWhy()
    {
        await using var app = await TestApp.StartAsync();
        var env = new Dictionary<string, string> { ["ConnectionStrings__PostalPeak"] = app.ConnectionString };

        var result = await RunAsync(env, "user", "add", "--name", "orphan", "--role", "CarrierManager");

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("must be bound to a carrier", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATokenCreatedWithAnExpiryWorksThroughThatWholeDayInVietnamLikeOneCreatedOnThePage()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("BETA");
        var env = new Dictionary<string, string> { ["ConnectionStrings__PostalPeak"] = app.ConnectionString };

        var token = await RunAsync(env, "token", "create", "--carrier", "BETA", "--name", "season 2027", "--expires", "2099-02-20", "--json");
        var dayFirst = await RunAsync(env, "token", "create", "--carrier", "BETA", "--name", "typo", "--expires", "20/02/2099");

        Assert.Equal(ExitCodes.Success, token.ExitCode);
        // Midnight at the end of 20 February in Vietnam is 17:00 UTC that day.
        Assert.Equal(new DateTime(2099, 2, 20, 17, 0, 0, DateTimeKind.Utc),
            JsonDocument.Parse(token.Output).RootElement.GetProperty("token").GetProperty("expires_at").GetDateTime().ToUniversalTime());
        Assert.Equal(ExitCodes.InvalidInput, dayFirst.ExitCode);
        Assert.Contains("invalid_date", dayFirst.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommandExitsWith64()
    {
        var result = await RunAsync(new Dictionary<string, string>(), "frobnicate");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("frobnicate", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryCommandHasHelp()
    {
        foreach (var command in new[] { "serve", "migrate", "carrier add", "user add", "token create" })
        {
            var result = await RunAsync(new Dictionary<string, string>(), [.. command.Split(' '), "--help"]);
            Assert.Equal(ExitCodes.Success, result.ExitCode);
            Assert.Contains("Usage:", result.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task MissingPostgreSqlBinariesGiveTheClearMessageAndExit69()
    {
        var directory = Path.Combine(Path.GetTempPath(), "postalpeak-nobinaries-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var result = await RunAsync(new Dictionary<string, string>
            {
                ["ConnectionStrings__PostalPeak"] = "",
                ["Storage__Embedded__SearchSystem"] = "false",
                ["Storage__Embedded__DataDirectory"] = directory,
            }, "migrate");

            Assert.Equal(ExitCodes.DatabaseUnavailable, result.ExitCode);
            Assert.Contains("PostgreSQL server, version 15 or newer", result.Error, StringComparison.Ordinal);
            Assert.Contains("apt-get install postgresql", result.Error, StringComparison.Ordinal);
            Assert.Contains("ConnectionStrings__PostalPeak", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal); // a message, not a stack trace
        }
        finally
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task UnreachableConfiguredServerExits69WithoutItsPassword()
    {
        var result = await RunAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__PostalPeak"] = "Host=127.0.0.1;Port=1;Database=x;Username=u;Password=secret-value;Timeout=2",
        }, "migrate");

        Assert.Equal(ExitCodes.DatabaseUnavailable, result.ExitCode);
        Assert.Contains("127.0.0.1:1/x", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", result.Error, StringComparison.Ordinal);
    }

    internal sealed record Result(int ExitCode, string Output, string Error);

    internal static async Task<Result> RunAsync(IDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "PostalPeak.dll"));
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await error);
    }
}
