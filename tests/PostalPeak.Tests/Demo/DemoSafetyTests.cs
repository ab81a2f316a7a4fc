using Dapper;
using PostalPeak.Cli;
using PostalPeak.Tests.Cli;

namespace PostalPeak.Tests.Demo;

/// <summary>The demo resets its accounts' passwords and adds sample files: it must never run on a real database.</summary>
public sealed class DemoSafetyTests
{
    [Fact]
    public async Task TheDemoRefusesADatabaseThatHoldsRealCarriersAndChangesNothing()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("VNPOST");
        var env = new Dictionary<string, string> { ["ConnectionStrings__PostalPeak"] = app.ConnectionString };

        var result = await CommandLineTests.RunAsync(env, "demo", "--urls", "http://127.0.0.1:0");
        await using var connection = await app.Db.OpenConnectionAsync();
        var carriers = (await connection.QueryAsync<string>("select code from carrier")).AsList();
        var uploads = await connection.QuerySingleAsync<long>("select count(*) from upload");

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("not_a_demo_database", result.Error, StringComparison.Ordinal);
        Assert.Contains("VNPOST", result.Error, StringComparison.Ordinal);
        Assert.Equal(["VNPOST"], carriers);
        Assert.Equal(0, uploads);
    }
}
