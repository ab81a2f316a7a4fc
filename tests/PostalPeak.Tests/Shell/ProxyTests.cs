using PostalPeak.Accounts;

namespace PostalPeak.Tests.Shell;

/// <summary>Behind a TLS-terminating proxy the operator turns on the forwarded headers, and the sign-in cookie becomes Secure.</summary>
public sealed class ProxyTests
{
    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public async Task TheSignInCookieIsSecureBehindAnHttpsProxyOnlyWhenForwardedHeadersAreOn(string enabled, bool secure)
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("analyst", Roles.Analyst);
        await using var served = await ServedApp.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__PostalPeak"] = app.ConnectionString,
            ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = enabled,
        });
        using var client = served.Client();
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        var response = await TestApp.SignInAsync(client, "analyst", TestApp.Password);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("postalpeak.auth=", StringComparison.Ordinal));

        Assert.Equal(secure, cookie.Contains("; secure", StringComparison.OrdinalIgnoreCase));
    }
}
