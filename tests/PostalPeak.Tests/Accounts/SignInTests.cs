using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Accounts;
using PostalPeak.Audit;

namespace PostalPeak.Tests.Accounts;

public sealed partial class SignInTests
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

    [Fact]
    public async Task ASavedCookieReplayedAfterSignOutIsRefusedOnTheApiAndOnPages()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("analyst", Roles.Analyst);
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        Assert.Equal(HttpStatusCode.Redirect, (await TestApp.SignInAsync(browser, "analyst", TestApp.Password)).StatusCode);
        var saved = cookies.GetCookieHeader(app.BaseAddress);
        using var otherDevice = await app.SignedInClientAsync("analyst");
        Assert.Equal(HttpStatusCode.OK, (await Replay(app, saved, "/api/v1/me")).StatusCode);

        var signOut = await browser.PostAsync("/account/sign-out", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = await TestApp.AntiforgeryTokenAsync(browser, "/"),
        }));

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Replay(app, saved, "/api/v1/me")).StatusCode);
        var page = await Replay(app, saved, "/dashboard");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/sign-in", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        // Signing out ends every session of the account, on other devices too (docs/guide/admin.en.md).
        Assert.Equal(HttpStatusCode.Unauthorized, (await otherDevice.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(1, await app.CountAuditAsync("user.sign_out"));
        // And signing in again gives a cookie that works.
        using var again = await app.SignedInClientAsync("analyst");
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/v1/me")).StatusCode);
    }

    /// <summary>Sends a request with exactly these cookies, as an attacker with a copied cookie would.</summary>
    private static async Task<HttpResponseMessage> Replay(TestApp app, string cookieHeader, string path)
    {
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookieHeader);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task UnknownNamesAndRealAccountsAreAnsweredAlikeLockoutIncluded()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var client = app.Client();

        for (var attempt = 1; attempt <= Users.MaxFailedSignIns + 1; attempt++)
        {
            // The last round offers the right password to the real account: it is locked, and must look it.
            var real = await TestApp.SignInAsync(client, "analyst", attempt > Users.MaxFailedSignIns ? TestApp.Password : "wrong-password");
            var unknown = await TestApp.SignInAsync(client, "nobody", "wrong-password");

            Assert.Equal(real.StatusCode, unknown.StatusCode);
            Assert.Equal(real.Headers.RetryAfter is null, unknown.Headers.RetryAfter is null);
            Assert.Equal(Comparable(await real.Content.ReadAsStringAsync(), "analyst"), Comparable(await unknown.Content.ReadAsStringAsync(), "nobody"));
            Assert.Equal(attempt < Users.MaxFailedSignIns ? HttpStatusCode.Unauthorized : HttpStatusCode.TooManyRequests, real.StatusCode);
        }
    }

    /// <summary>The sign-in page minus what differs by design: the name typed in, the form's token, and the time on the clock.</summary>
    private static string Comparable(string page, string typedName) =>
        Clock().Replace(Token().Replace(page.Replace($"value=\"{typedName}\"", "value=\"…\"", StringComparison.Ordinal), "token"), "HH:mm");

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"[^\"]+\"")]
    private static partial Regex Token();

    [GeneratedRegex(@"\d{2}:\d{2} \d{2}/\d{2}/\d{4}")]
    private static partial Regex Clock();

    [Fact]
    public async Task AStrangerElsewhereCannotLockTheOwnerOut()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", Roles.Admin);
        using var stranger = app.ClientFrom("127.0.0.2");
        using var owner = app.ClientFrom("127.0.0.3");

        for (var attempt = 1; attempt < Users.MaxFailedSignIns; attempt++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await TestApp.SignInAsync(stranger, "admin", "wrong-password")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await TestApp.SignInAsync(stranger, "admin", "wrong-password")).StatusCode);
        // Locked from the stranger's address even for the right password, so guessing stays slow...
        Assert.Equal(HttpStatusCode.TooManyRequests, (await TestApp.SignInAsync(stranger, "admin", TestApp.Password)).StatusCode);
        // ...while the owner, from another address, signs in.
        Assert.Equal(HttpStatusCode.Redirect, (await TestApp.SignInAsync(owner, "admin", TestApp.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task AnAddressTryingManyNamesIsLockedForEveryNameAndOtherAddressesAreNot()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var attacker = app.ClientFrom("127.0.0.4");
        using var colleague = app.ClientFrom("127.0.0.5");

        var answers = new List<HttpStatusCode>();
        for (var name = 1; name <= Users.MaxFailedSignInsPerAddress; name++)
            answers.Add((await TestApp.SignInAsync(attacker, $"guess{name}", "wrong-password")).StatusCode);
        var refused = await TestApp.SignInAsync(attacker, "analyst", TestApp.Password);

        // One try per name never locks a name, but the address runs out of tries.
        Assert.All(answers[..^1], status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1]);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await TestApp.SignInAsync(colleague, "analyst", TestApp.Password)).StatusCode);
    }

    [Fact]
    public async Task AForgedForwardedForIsNotAnotherAddressUnlessForwardedHeadersAreOn()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var client = app.Client();

        HttpResponseMessage last = null!;
        for (var attempt = 1; attempt <= Users.MaxFailedSignIns; attempt++)
        {
            client.DefaultRequestHeaders.Remove("X-Forwarded-For");
            client.DefaultRequestHeaders.Add("X-Forwarded-For", $"203.0.113.{attempt}");
            last = await TestApp.SignInAsync(client, "analyst", "wrong-password");
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last.StatusCode);
    }

    [Fact]
    public async Task EveryInstanceOnTheDatabaseCountsTheSameFailures()
    {
        await using var first = await TestApp.StartAsync();
        await using var second = await TestApp.StartAsync(sameDatabaseAs: first);
        await first.AddUserAsync("analyst", Roles.Analyst);
        using var viaFirst = first.Client();
        using var viaSecond = second.Client();

        for (var attempt = 1; attempt < Users.MaxFailedSignIns; attempt++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await TestApp.SignInAsync(attempt % 2 == 0 ? viaFirst : viaSecond, "analyst", "wrong-password")).StatusCode);
        var locking = await TestApp.SignInAsync(viaSecond, "analyst", "wrong-password");
        var elsewhere = await TestApp.SignInAsync(viaFirst, "analyst", TestApp.Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, locking.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, elsewhere.StatusCode);
    }

    [Fact]
    public async Task ParallelGuessesCannotSlipPastTheLimit()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("analyst", Roles.Analyst);
        var users = app.Services.GetRequiredService<Users>();
        var address = System.Net.IPAddress.Parse("198.51.100.7");

        var results = await Task.WhenAll(Enumerable.Range(0, 4 * Users.MaxFailedSignIns)
            .Select(_ => Task.Run(() => users.SignInAsync("analyst", "wrong-password", address))));

        // Only as many passwords were checked as the limit allows; the rest were refused unchecked.
        Assert.Equal(Users.MaxFailedSignIns - 1, results.Count(r => r is Users.SignInResult.Failure));
        Assert.Equal(3 * Users.MaxFailedSignIns + 1, results.Count(r => r is Users.SignInResult.LockedOut));
        Assert.Equal(Users.MaxFailedSignIns - 1 + 1, await app.CountAuditAsync("user.sign_in_failed") + await app.CountAuditAsync("user.locked_out"));
    }

    [Fact]
    public async Task APasswordResetLiftsTheNamesLocksFromEveryAddress()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var client = app.Client();
        for (var attempt = 1; attempt <= Users.MaxFailedSignIns; attempt++)
            await TestApp.SignInAsync(client, "analyst", "wrong-password");
        var users = app.Services.GetRequiredService<Users>();
        Assert.NotNull((await users.ListAsync()).Single().LockedUntil);

        await users.SetPasswordAsync("analyst", "a-new-password-2", Actor.CommandLine());

        Assert.Null((await users.ListAsync()).Single().LockedUntil);
        Assert.Equal(HttpStatusCode.Redirect, (await TestApp.SignInAsync(client, "analyst", "a-new-password-2")).StatusCode);
    }
}
