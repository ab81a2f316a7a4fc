using Dapper;
using PostalPeak.Accounts;

namespace PostalPeak.Tests.Accounts;

public sealed class TokenExpiryTests
{
    [Fact]
    public async Task ATokenMadeOnThePageWorksThroughItsLastDayInVietnamTime()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("OWN");
        await app.AddUserAsync("manager", Roles.CarrierManager, "OWN");
        using var manager = await app.SignedInClientAsync("manager");

        var created = await PageForms.PostAsync(manager, "/carriers/OWN/tokens?handler=Create",
            new Dictionary<string, string> { ["Name"] = "Tết 2099", ["ValidThrough"] = "2099-12-31" }, "/carriers/OWN/tokens?handler=Create");
        var endless = await PageForms.PostAsync(manager, "/carriers/OWN/tokens", new Dictionary<string, string> { ["Name"] = "nightly", ["ValidThrough"] = "" },
            "/carriers/OWN/tokens?handler=Create");
        var page = await created.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.StartsWith("pp_", PageForms.Marked(page, "token-secret"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, endless.StatusCode);
        // Midnight at the end of 31 December in Vietnam is 17:00 UTC that day.
        await using var connection = await app.Db.OpenConnectionAsync();
        var expiries = (await connection.QueryAsync<(string Name, DateTime? ExpiresAt)>("select name, expires_at from api_token order by id")).ToList();
        Assert.Equal([("Tết 2099", new DateTime(2099, 12, 31, 17, 0, 0, DateTimeKind.Utc)), ("nightly", null)], expiries);
        Assert.Contains("00:00 01/01/2100", await manager.GetStringAsync("/carriers/OWN/tokens"), StringComparison.Ordinal);
        // The form is empty again for the next token.
        Assert.Contains("id=\"Name\" name=\"Name\" value=\"\"", await endless.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APastDayOrAnUnreadableDateIsRefusedBesideTheForm()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("OWN");
        await app.AddUserAsync("admin", Roles.Admin);
        using var admin = await app.SignedInClientAsync("admin");

        var past = await PageForms.PostAsync(admin, "/carriers/OWN/tokens", new Dictionary<string, string> { ["Name"] = "old", ["ValidThrough"] = "2020-01-31" },
            "/carriers/OWN/tokens?handler=Create");
        var dayFirst = await PageForms.PostAsync(admin, "/carriers/OWN/tokens", new Dictionary<string, string> { ["Name"] = "vi", ["ValidThrough"] = "31/12/2099" },
            "/carriers/OWN/tokens?handler=Create");

        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Contains("Ngày 2020-01-31 đã qua", await past.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, dayFirst.StatusCode);
        Assert.Contains("&#x27;31/12/2099&#x27; không phải là ngày", await dayFirst.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await app.CountAuditAsync("token.create"));
    }

    [Fact]
    public async Task TheApiRefusesAnExpiryInThePastAsThePageDoes()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("OWN");
        await app.AddUserAsync("manager", Roles.CarrierManager, "OWN");
        using var manager = await app.SignedInClientAsync("manager", antiforgeryHeader: true);

        var past = await manager.PostAsJsonAsync("/api/v1/carriers/OWN/tokens", new { name = "old", expires_at = "2020-01-01T00:00:00Z" });
        // Without an offset an expiry is Vietnam time, as the page reads its days.
        var wallClock = await manager.PostAsJsonAsync("/api/v1/carriers/OWN/tokens", new { name = "vn", expires_at = "2099-03-01T00:00:00" });

        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Equal("expiry_past", (await past.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Created, wallClock.StatusCode);
        await using var connection = await app.Db.OpenConnectionAsync();
        var expiries = (await connection.QueryAsync<(string Name, DateTime? ExpiresAt)>("select name, expires_at from api_token order by id")).ToList();
        Assert.Equal([("vn", new DateTime(2099, 2, 28, 17, 0, 0, DateTimeKind.Utc))], expiries);
    }

    [Fact]
    public async Task TheCommandLineRefusesAnExpiryInThePast()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("OWN");
        var env = new Dictionary<string, string> { ["ConnectionStrings__PostalPeak"] = app.ConnectionString };

        var past = await PostalPeak.Tests.Cli.CommandLineTests.RunAsync(env, "token", "create", "--carrier", "OWN", "--name", "old", "--expires", "2020-01-31");

        Assert.Equal(PostalPeak.Cli.ExitCodes.InvalidInput, past.ExitCode);
        Assert.Contains("(expiry_past)", past.Error, StringComparison.Ordinal);
        Assert.Equal(0, await app.CountAuditAsync("token.create"));
    }
}
