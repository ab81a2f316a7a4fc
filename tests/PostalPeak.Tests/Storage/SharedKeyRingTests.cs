using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using PostalPeak.Accounts;

namespace PostalPeak.Tests.Storage;

/// <summary>Several app instances on one database: the data-protection keys live in it, so any instance reads any other's cookies and form tokens.</summary>
public sealed class SharedKeyRingTests
{
    [Fact]
    public async Task ASignInAndAFormTokenFromOneInstanceAreAcceptedByAnotherOnTheSameDatabase()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("analyst", Roles.Analyst);
        // Another home folder, as on another machine: the framework's default key folder is not shared.
        var home = Directory.CreateTempSubdirectory("pp-home-");
        await using var served = await ServedApp.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__PostalPeak"] = app.ConnectionString,
            ["HOME"] = home.FullName,
        });

        // Signed in on the other process; the cookie is shown to this one.
        using var there = served.Client();
        var signedIn = await TestApp.SignInAsync(there, "analyst", TestApp.Password);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("postalpeak.auth=", StringComparison.Ordinal)).Split(';')[0];
        using var here = app.Client();
        here.DefaultRequestHeaders.Add("Cookie", cookie);
        var me = await here.GetFromJsonAsync<JsonElement>("/api/v1/me");

        // A form rendered by one instance and posted to the other (the anti-forgery cookie and field travel with it).
        var jar = new CookieContainer();
        using var formThere = new HttpClient(new HttpClientHandler { CookieContainer = jar, AllowAutoRedirect = false }) { BaseAddress = served.Url };
        var token = await TestApp.AntiforgeryTokenAsync(formThere, "/account/sign-in");
        var antiforgeryCookie = string.Join("; ", jar.GetCookies(served.Url).Select(c => $"{c.Name}={c.Value}"));
        using var postHere = app.Client();
        postHere.DefaultRequestHeaders.Add("Cookie", antiforgeryCookie);
        var posted = await postHere.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "analyst", ["Password"] = TestApp.Password, ["__RequestVerificationToken"] = token,
        }));
        await using var connection = await app.Db.OpenConnectionAsync();
        var keys = await connection.QuerySingleAsync<long>("select count(*) from data_protection_key");

        Assert.Equal("analyst", me.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.True(keys >= 1);
    }
}
