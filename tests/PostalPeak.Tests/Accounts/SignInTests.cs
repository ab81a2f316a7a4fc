using Dapper;
using PostalPeak.Accounts;

namespace PostalPeak.Tests.Accounts;

public sealed class SignInTests
{
    [Fact]
    public async Task SignsInWithTheRightPasswordAndRecordsIt()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var client = app.Client();

        var response = await TestApp.SignInAsync(client, "Analyst", TestApp.Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var me = await client.GetFromJsonAsync<Dictionary<string, object>>("/api/v1/me");
        Assert.Equal("analyst", me!["name"].ToString());
        Assert.Equal(1, await app.CountAuditAsync("user.sign_in"));
    }

    [Fact]
    public async Task LocksTheAccountAfterRepeatedFailuresEvenForTheRightPassword()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var client = app.Client();

        for (var attempt = 1; attempt < Users.MaxFailedSignIns; attempt++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await TestApp.SignInAsync(client, "analyst", "wrong-password")).StatusCode);
        var locking = await TestApp.SignInAsync(client, "analyst", "wrong-password");
        var afterwards = await TestApp.SignInAsync(client, "analyst", TestApp.Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, locking.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, afterwards.StatusCode);
        Assert.Contains("tạm khóa", await afterwards.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await app.CountAuditAsync("user.locked_out"));
        Assert.Equal(1, await app.CountAuditAsync("user.sign_in_refused_locked"));
    }

    [Fact]
    public async Task UnknownUserAndWrongPasswordLookTheSame()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var client = app.Client();

        var unknown = await TestApp.SignInAsync(client, "nobody", TestApp.Password);
        var wrong = await TestApp.SignInAsync(client, "analyst", "wrong-password");

        Assert.Equal(unknown.StatusCode, wrong.StatusCode);
        Assert.Contains("không đúng", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FormPostWithoutAntiforgeryTokenIsRejected()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var client = app.Client();

        var response = await client.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "analyst",
            ["Password"] = TestApp.Password,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await app.CountAuditAsync("user.sign_in"));
    }

    [Fact]
    public async Task PasswordsAndTokenSecretsAreNeverStoredInClear()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("OWN");
        await app.AddUserAsync("analyst", Roles.Analyst);
        var secret = await app.CreateTokenAsync("OWN");
        await using var connection = await app.Db.OpenConnectionAsync();

        var hash = await connection.QuerySingleAsync<string>("select password_hash from app_user where user_name = 'analyst'");
        var stored = await connection.QuerySingleAsync<byte[]>("select secret_hash from api_token");

        Assert.DoesNotContain(TestApp.Password, hash, StringComparison.Ordinal);
        Assert.True(Passwords.Verify(hash, TestApp.Password));
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)), stored);
    }

    [Fact]
    public async Task SignOutLeavesTheCookieWorthless()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var client = await app.SignedInClientAsync("analyst");
        var token = await TestApp.AntiforgeryTokenAsync(client, "/");

        await client.PostAsync("/account/sign-out", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
    }
}
