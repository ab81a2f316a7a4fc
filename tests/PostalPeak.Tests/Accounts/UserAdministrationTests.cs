using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Accounts;
using PostalPeak.Audit;
using PostalPeak.Shell;

namespace PostalPeak.Tests.Accounts;

public sealed class UserAdministrationTests
{
    [Fact]
    public async Task AnAdminResetsAPasswordOnTheUsersPageTheOldOneStopsWorkingAndTheLockoutIsLifted()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", Roles.Admin);
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var admin = await app.SignedInClientAsync("admin");
        using var person = app.Client();
        for (var attempt = 0; attempt < Users.MaxFailedSignIns; attempt++)
            await TestApp.SignInAsync(person, "analyst", "wrong-password");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await TestApp.SignInAsync(person, "analyst", TestApp.Password)).StatusCode);

        var reset = await PageForms.PostAsync(admin, "/admin/users?edit=analyst", new Dictionary<string, string>(), "/admin/users?handler=Password&edit=analyst");
        var page = await reset.Content.ReadAsStringAsync();
        var password = PageForms.Marked(page, "new-password");

        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Contains("Mật khẩu mới của analyst", page, StringComparison.Ordinal);
        Assert.True(password.Length >= Passwords.MinimumLength, password);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TestApp.SignInAsync(person, "analyst", TestApp.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await TestApp.SignInAsync(person, "analyst", password)).StatusCode);
        Assert.Equal(1, await app.CountAuditAsync("user.password"));
        // Shown once: opening the account again shows no password.
        Assert.DoesNotContain("data-test=\"new-password\"", await admin.GetStringAsync("/admin/users?edit=analyst"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APasswordResetEndsTheSessionsOpenedWithTheOldPassword()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", Roles.Admin);
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var admin = await app.SignedInClientAsync("admin");
        using var analyst = await app.SignedInClientAsync("analyst");
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync("/api/v1/me")).StatusCode);

        await PageForms.PostAsync(admin, "/admin/users?edit=analyst", new Dictionary<string, string>(), "/admin/users?handler=Password&edit=analyst");

        Assert.Equal(HttpStatusCode.Unauthorized, (await analyst.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task ADisabledAccountCannotSignInAndItsOpenSessionStopsAtTheNextRequest()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", Roles.Admin);
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var admin = await app.SignedInClientAsync("admin");
        using var analyst = await app.SignedInClientAsync("analyst");
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync("/dashboard")).StatusCode);

        var disable = await PageForms.PostAsync(admin, "/admin/users?edit=analyst", new Dictionary<string, string>(), "/admin/users?handler=Disable&edit=analyst");
        var page = await disable.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        Assert.Contains("Đã vô hiệu hóa tài khoản analyst", page, StringComparison.Ordinal);
        Assert.Contains("Vô hiệu hóa từ", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await analyst.GetAsync("/api/v1/me")).StatusCode);
        var pageVisit = await analyst.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.Redirect, pageVisit.StatusCode);
        Assert.StartsWith("/account/sign-in", pageVisit.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        using var again = app.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await TestApp.SignInAsync(again, "analyst", TestApp.Password)).StatusCode);

        await PageForms.PostAsync(admin, "/admin/users?edit=analyst", new Dictionary<string, string>(), "/admin/users?handler=Enable&edit=analyst");

        Assert.Equal(HttpStatusCode.Redirect, (await TestApp.SignInAsync(again, "analyst", TestApp.Password)).StatusCode);
        Assert.Equal(1, await app.CountAuditAsync("user.disable"));
        Assert.Equal(1, await app.CountAuditAsync("user.enable"));
    }

    [Fact]
    public async Task AnAdminCannotDisableOrDemoteThemselves()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", Roles.Admin);
        await app.AddUserAsync("second", Roles.Admin);
        using var admin = await app.SignedInClientAsync("admin");

        var disable = await PageForms.PostAsync(admin, "/admin/users?edit=admin", new Dictionary<string, string>(), "/admin/users?handler=Disable&edit=admin");
        var demote = await PageForms.PostAsync(admin, "/admin/users?edit=admin", new Dictionary<string, string> { ["NewRole"] = Roles.Analyst },
            "/admin/users?handler=Role&edit=admin");
        var api = await TestApp.AntiforgeryTokenAsync(admin, "/admin/users");
        var apiDemote = await admin.SendAsync(Put(api, "/api/v1/users/admin", new { role = Roles.Analyst }));

        Assert.Equal(HttpStatusCode.Conflict, disable.StatusCode);
        Assert.Contains("không thể tự vô hiệu hóa", await disable.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, demote.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, apiDemote.StatusCode);
        Assert.Equal("own_account", (await apiDemote.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(0, await app.CountAuditAsync("user.disable") + await app.CountAuditAsync("user.role"));
        // Another administrator may.
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(Put(api, "/api/v1/users/second", new { role = Roles.Analyst }))).StatusCode);
    }

    [Fact]
    public async Task TheLastActiveAdministratorCannotBeDisabledOrDemotedByAnyone()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", Roles.Admin);
        await app.AddUserAsync("retired", Roles.Admin);
        var users = app.Services.GetRequiredService<Users>();
        await users.UpdateAsync("retired", null, null, true, Actor.CommandLine());

        var demote = await Assert.ThrowsAsync<InputException>(() => users.UpdateAsync("admin", Roles.Analyst, null, null, Actor.CommandLine()));
        var disable = await Assert.ThrowsAsync<InputException>(() => users.UpdateAsync("admin", null, null, true, Actor.CommandLine()));

        Assert.Equal("last_admin", demote.Code);
        Assert.Equal("last_admin", disable.Code);
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(1, await connection.QuerySingleAsync<long>("select count(*) from app_user where role = 'Admin' and disabled_at is null"));
    }

    [Fact]
    public async Task ARoleChangeToCarrierManagerNeedsACarrierAndTheNewRoleAppliesAtTheNextSignIn()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("OWN");
        await app.AddUserAsync("admin", Roles.Admin);
        await app.AddUserAsync("lan", Roles.Analyst);
        using var admin = await app.SignedInClientAsync("admin");
        using var lan = await app.SignedInClientAsync("lan");
        var api = await TestApp.AntiforgeryTokenAsync(admin, "/admin/users");

        var withoutCarrier = await admin.SendAsync(Put(api, "/api/v1/users/lan", new { role = Roles.CarrierManager }));
        var onThePage = await PageForms.PostAsync(admin, "/admin/users?edit=lan", new Dictionary<string, string> { ["NewRole"] = Roles.CarrierManager, ["NewCarrier"] = "" },
            "/admin/users?handler=Role&edit=lan");
        var analystWithCarrier = await admin.SendAsync(Put(api, "/api/v1/users/lan", new { role = Roles.Analyst, carrier_code = "OWN" }));
        var changed = await PageForms.PostAsync(admin, "/admin/users?edit=lan", new Dictionary<string, string> { ["NewRole"] = Roles.CarrierManager, ["NewCarrier"] = "OWN" },
            "/admin/users?handler=Role&edit=lan");

        Assert.Equal(HttpStatusCode.BadRequest, withoutCarrier.StatusCode);
        Assert.Equal("carrier_required", (await withoutCarrier.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, onThePage.StatusCode);
        Assert.Contains("Quản lý doanh nghiệp phải gắn với một doanh nghiệp", await onThePage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, analystWithCarrier.StatusCode);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Contains("Đã đổi vai trò của lan", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The old cookie said Analyst: it is refused, and a new sign-in carries the new role.
        Assert.Equal(HttpStatusCode.Unauthorized, (await lan.GetAsync("/api/v1/me")).StatusCode);
        using var again = await app.SignedInClientAsync("lan");
        var me = await again.GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal((Roles.CarrierManager, "OWN"), (me.GetProperty("role").GetString(), me.GetProperty("carrier_code").GetString()));
        Assert.Equal(1, await app.CountAuditAsync("user.role"));
    }

    [Fact]
    public async Task TheApiResetsAPasswordAndChangesAnAccountOnlyWithTheAntiforgeryHeader()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", Roles.Admin);
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var admin = await app.SignedInClientAsync("admin");
        using var analyst = await app.SignedInClientAsync("analyst");
        var api = await TestApp.AntiforgeryTokenAsync(admin, "/admin/users");

        var forged = await admin.PostAsync("/api/v1/users/analyst/password", null);
        var forgedPut = await admin.PutAsJsonAsync("/api/v1/users/analyst", new { disabled = true });
        var byAnalyst = await analyst.PostAsync("/api/v1/users/analyst/password", null);
        var unknown = await admin.SendAsync(Post(api, "/api/v1/users/nobody/password"));
        var reset = await admin.SendAsync(Post(api, "/api/v1/users/Analyst/password"));
        var body = await reset.Content.ReadFromJsonAsync<JsonElement>();
        using var person = app.Client();
        var signIn = await TestApp.SignInAsync(person, "analyst", body.GetProperty("generated_password").GetString()!);
        var disabled = await admin.SendAsync(Put(api, "/api/v1/users/analyst", new { disabled = true }));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal("antiforgery", (await forged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, forgedPut.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byAnalyst.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("not_found", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Equal("analyst", body.GetProperty("user_name").GetString());
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        var account = await disabled.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((Roles.Analyst, JsonValueKind.String), (account.GetProperty("role").GetString(), account.GetProperty("disabled_at").ValueKind));
    }

    [Fact]
    public async Task EveryChangeToAnAccountIsInTheAuditLogWithItsAdministrator()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("OWN");
        await app.AddUserAsync("admin", Roles.Admin);
        await app.AddUserAsync("lan", Roles.Analyst);
        using var admin = await app.SignedInClientAsync("admin");
        var api = await TestApp.AntiforgeryTokenAsync(admin, "/admin/users");

        await admin.SendAsync(Post(api, "/api/v1/users/lan/password"));
        await admin.SendAsync(Put(api, "/api/v1/users/lan", new { role = Roles.CarrierManager, carrier_code = "own" }));
        await admin.SendAsync(Put(api, "/api/v1/users/lan", new { disabled = true }));
        await admin.SendAsync(Put(api, "/api/v1/users/lan", new { disabled = true })); // no change, no entry
        await admin.SendAsync(Put(api, "/api/v1/users/lan", new { disabled = false }));

        await using var connection = await app.Db.OpenConnectionAsync();
        var entries = (await connection.QueryAsync<(string Action, string Actor, string TargetId, string Details)>(
            "select action, actor, target_id, details::text from audit_log where target_type = 'user' and action not like 'user.sign_in%' and actor = 'admin' order by id")).ToList();
        Assert.Equal(["user.password", "user.role", "user.disable", "user.enable"], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal("lan", e.TargetId));
        using var role = JsonDocument.Parse(entries[1].Details);
        Assert.Equal((Roles.Analyst, Roles.CarrierManager, "OWN"),
            (role.RootElement.GetProperty("fromRole").GetString(), role.RootElement.GetProperty("role").GetString(), role.RootElement.GetProperty("carrierCode").GetString()));
    }

    [Fact]
    public async Task TheAddUserFormIsEmptyAgainAfterAnAccountIsCreated()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", Roles.Admin);
        using var admin = await app.SignedInClientAsync("admin");

        var created = await PageForms.PostAsync(admin, "/admin/users", new Dictionary<string, string>
        {
            ["UserName"] = "new.person", ["DisplayName"] = "Trần Văn Minh", ["Email"] = "minh@so.example", ["Role"] = Roles.Analyst, ["CarrierCode"] = "",
        });
        var page = await created.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Contains("Đã tạo tài khoản new.person", page, StringComparison.Ordinal);
        Assert.Contains("id=\"UserName\" name=\"UserName\" value=\"\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"Trần Văn Minh\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"minh@so.example\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAccountWithoutAUserNameIsRefusedByNameOnThePageAndInTheApi()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", Roles.Admin);
        using var admin = await app.SignedInClientAsync("admin");
        using var api = await app.SignedInClientAsync("admin", antiforgeryHeader: true);

        var page = await PageForms.PostAsync(admin, "/admin/users", new Dictionary<string, string> { ["UserName"] = "", ["Role"] = "" });
        var empty = await api.PostAsJsonAsync("/api/v1/users", new { });

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("Tên đăng nhập dài 2 đến 64 ký tự", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal("invalid_user_name", (await empty.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("code").GetString());
    }

    /// <summary>An API call from the signed-in browser, with the anti-forgery token one of its pages gave.</summary>
    private static HttpRequestMessage Put(string antiforgery, string url, object body) =>
        new(HttpMethod.Put, url) { Content = JsonContent.Create(body), Headers = { { "X-CSRF-TOKEN", antiforgery } } };

    private static HttpRequestMessage Post(string antiforgery, string url) =>
        new(HttpMethod.Post, url) { Headers = { { "X-CSRF-TOKEN", antiforgery } } };
}
