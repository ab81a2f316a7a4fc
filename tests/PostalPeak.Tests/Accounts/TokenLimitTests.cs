using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using PostalPeak.Accounts;
using PostalPeak.Cli;
using PostalPeak.Tests.Cli;

namespace PostalPeak.Tests.Accounts;

/// <summary>A carrier holds at most Accounts:MaxTokensPerCarrier active tokens, however they are made.</summary>
public sealed class TokenLimitTests
{
    private static Dictionary<string, string?> Cap(int tokens) => new() { ["Accounts:MaxTokensPerCarrier"] = tokens.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    [Fact]
    public async Task TheApiRefusesOneTokenMoreThanTheCapUntilOneIsRevokedOrExpired()
    {
        await using var app = await TestApp.StartAsync(settings: Cap(2));
        await app.AddCarrierAsync("OWN");
        await app.AddCarrierAsync("OTHER");
        await app.AddUserAsync("manager", Roles.CarrierManager, "OWN");
        using var manager = await app.SignedInClientAsync("manager", antiforgeryHeader: true);

        var first = await manager.PostAsJsonAsync("/api/v1/carriers/OWN/tokens", new { name = "one" });
        var second = await manager.PostAsJsonAsync("/api/v1/carriers/OWN/tokens", new { name = "two" });
        var third = await manager.PostAsJsonAsync("/api/v1/carriers/OWN/tokens", new { name = "three" });
        var otherCarrier = await app.CreateTokenAsync("OTHER");

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created], new[] { first.StatusCode, second.StatusCode });
        Assert.Equal(HttpStatusCode.Conflict, third.StatusCode);
        var problem = await third.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("token_limit", problem.GetProperty("code").GetString());
        Assert.Contains("(2)", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("pp_", otherCarrier, StringComparison.Ordinal);

        // A revoked token, or one past its expiry, no longer takes a place.
        var firstId = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetProperty("id").GetInt32();
        Assert.Equal(HttpStatusCode.OK, (await manager.DeleteAsync($"/api/v1/carriers/OWN/tokens/{firstId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await manager.PostAsJsonAsync("/api/v1/carriers/OWN/tokens", new { name = "three" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await manager.PostAsJsonAsync("/api/v1/carriers/OWN/tokens", new { name = "four" })).StatusCode);
        await using (var connection = await app.Db.OpenConnectionAsync())
            await connection.ExecuteAsync("update api_token set expires_at = now() - interval '1 day' where name = 'two'");
        Assert.Equal(HttpStatusCode.Created, (await manager.PostAsJsonAsync("/api/v1/carriers/OWN/tokens", new { name = "four" })).StatusCode);
        Assert.Equal(5, await app.CountAuditAsync("token.create")); // one, two, three, four and OTHER's
    }

    [Fact]
    public async Task TheTokensPageSaysInVietnameseThatTheCarrierHasEnoughTokens()
    {
        await using var app = await TestApp.StartAsync(settings: Cap(1));
        await app.AddCarrierAsync("OWN");
        await app.AddUserAsync("manager", Roles.CarrierManager, "OWN");
        using var manager = await app.SignedInClientAsync("manager");

        var created = await PageForms.PostAsync(manager, "/carriers/OWN/tokens", new Dictionary<string, string> { ["Name"] = "nightly" }, "/carriers/OWN/tokens?handler=Create");
        var refused = await PageForms.PostAsync(manager, "/carriers/OWN/tokens", new Dictionary<string, string> { ["Name"] = "another" }, "/carriers/OWN/tokens?handler=Create");

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("Doanh nghiệp OWN đã có đủ 1 token đang dùng, mức tối đa", System.Net.WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()),
            StringComparison.Ordinal);
        Assert.Equal(1, await app.CountAuditAsync("token.create"));
    }

    [Fact]
    public async Task TheCommandLineRefusesOneTokenMoreThanTheCapWithItsCode()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("OWN");
        var env = new Dictionary<string, string> { ["ConnectionStrings__PostalPeak"] = app.ConnectionString, ["Accounts__MaxTokensPerCarrier"] = "1" };

        var first = await CommandLineTests.RunAsync(env, "token", "create", "--carrier", "OWN", "--name", "nightly");
        var second = await CommandLineTests.RunAsync(env, "token", "create", "--carrier", "OWN", "--name", "another");

        Assert.Equal(ExitCodes.Success, first.ExitCode);
        Assert.Equal(ExitCodes.InvalidInput, second.ExitCode);
        Assert.Contains("(token_limit)", second.Error, StringComparison.Ordinal);
        Assert.Equal(1, await app.CountAuditAsync("token.create"));
    }

    [Fact]
    public async Task ACapBelowOneStopsTheAppAtStart()
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(settings: Cap(0)));

        Assert.Contains("MaxTokensPerCarrier", refused.Message, StringComparison.Ordinal);
    }
}
