using Dapper;
using PostalPeak.Accounts;

namespace PostalPeak.Tests.Accounts;

public sealed class AuditTests
{
    [Fact]
    public async Task EveryStateChangingActionLandsInTheAuditLogWithItsActor()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", Roles.Admin);
        using var admin = await app.SignedInClientAsync("admin", antiforgeryHeader: true);

        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/carriers", new { code = "ALPHA", name = "Alpha Post", contact_emails = new[] { "ops@alpha.example" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/v1/carriers/ALPHA/contacts", new { contact_emails = new[] { "duty@alpha.example" }, contact_phone = "0237 000 000" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/users", new { user_name = "alpha.manager", role = "CarrierManager", carrier_code = "ALPHA" })).StatusCode);
        var token = await (await admin.PostAsJsonAsync("/api/v1/carriers/ALPHA/tokens", new { name = "nightly" })).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"/api/v1/carriers/ALPHA/tokens/{token.GetProperty("token").GetProperty("id").GetInt32()}")).StatusCode);

        await using var connection = await app.Db.OpenConnectionAsync();
        var entries = (await connection.QueryAsync<(string Action, string Actor, int? UserId)>(
            "select action, actor, user_id from audit_log where action not like 'user.sign_in%' and actor <> @cli order by id",
            new { cli = $"cli:{Environment.UserName}" })).ToList();
        Assert.Equal(["carrier.add", "carrier.contacts", "user.add", "token.create", "token.revoke"], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal("admin", e.Actor));
        Assert.All(entries, e => Assert.NotNull(e.UserId));
    }

    [Fact]
    public async Task AFailedActionLeavesNoAuditEntryAndNoPartialChange()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", Roles.Admin);
        using var admin = await app.SignedInClientAsync("admin", antiforgeryHeader: true);

        var response = await admin.PostAsJsonAsync("/api/v1/users", new { user_name = "ghost", role = "CarrierManager", carrier_code = "NOPE" });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{(int)response.StatusCode}: {body[..Math.Min(body.Length, 3000)]}");
        var problem = System.Text.Json.JsonDocument.Parse(body).RootElement;

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", problem.GetProperty("code").GetString());
        Assert.Equal(0, await app.CountAuditAsync("user.add") - 1); // only the admin added by the test
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(0, await connection.QuerySingleAsync<long>("select count(*) from app_user where user_name = 'ghost'"));
    }
}
