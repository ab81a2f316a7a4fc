using Dapper;
using Microsoft.Extensions.Options;
using PostalPeak.Cli;

namespace PostalPeak.Tests.Cli;

/// <summary>
/// Every command checks the settings `serve` checks, with the same registrations, before it does any work: a bad
/// value stops it at once with the setting named, and nothing is stored or changed.
/// </summary>
public sealed class SettingsAtStartTests
{
    [Fact]
    public async Task IngestWithAnUnknownTimeZoneStopsAtOnceNamingTheSettingAndStoresNothing()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        var file = Path.Combine(Path.GetTempPath(), $"postalpeak-settings-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, "report_date,unit_code,received,delivered\n2026-02-14,14758,100,95\n");
        try
        {
            var result = await CommandLineTests.RunAsync(new Dictionary<string, string>
            {
                ["ConnectionStrings__PostalPeak"] = app.ConnectionString,
                ["Jobs__TimeZone"] = "Not/AZone",
            }, "ingest", "--carrier", "ALPHA", file);

            Assert.Equal(ExitCodes.Failure, result.ExitCode);
            Assert.Contains("Jobs:TimeZone", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal); // a message, not a stack trace
            Assert.Equal("", result.Output);
            Assert.True(File.Exists(file));
            await using var connection = await app.Db.OpenConnectionAsync();
            Assert.Equal(0, await connection.QuerySingleAsync<long>("select count(*) from upload"));
            Assert.Equal(0, await app.CountAuditAsync("upload.receive"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task ABadSettingIsReportedBeforeTheDatabaseIsReached()
    {
        var result = await CommandLineTests.RunAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__PostalPeak"] = "Host=127.0.0.1;Port=1;Database=x;Username=u;Password=p;Timeout=2",
            ["Notifications__Smtp__Port"] = "0",
        }, "carrier", "list");

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("Port", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1:1", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Notifications__Smtp__Port", "70000", "Port")]
    [InlineData("Ingestion__DropFolder__SettleSeconds", "-1", "SettleSeconds")]
    public async Task RecomputeWithABadNestedSettingStopsAtOnceNamingItAndChangesNothing(string variable, string value, string named)
    {
        await using var app = await TestApp.StartAsync();

        var result = await CommandLineTests.RunAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__PostalPeak"] = app.ConnectionString,
            [variable] = value,
        }, "recompute");

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains(named, result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Output);
        Assert.Equal(0, await app.CountAuditAsync("indicators.recompute"));
    }

    [Theory]
    [InlineData("Notifications:Smtp:Port", "0", "Port")]
    [InlineData("Ingestion:DropFolder:SettleSeconds", "3601", "SettleSeconds")]
    public async Task ABadNestedSettingStopsTheWebAppAtStart(string key, string value, string named)
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(settings: new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
    }
}
