using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PostalPeak.Accounts;

namespace PostalPeak.Tests.Browser;

[Collection(BrowserTests.Name)]
public sealed class SecurityPolicyInBrowserTests(Infrastructure.Browser browser) : IDisposable
{
    public void Dispose() => browser.AssertNoPolicyViolations();

    [Fact]
    public async Task EveryPageOpensInTheBrowserWithoutBreakingItsContentSecurityPolicy()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("OWN");
        await app.AddUserAsync("admin", Roles.Admin);
        var page = await browser.NewPageAsync(app.BaseAddress);
        await Infrastructure.Browser.SignInAsync(page, "admin");

        // Every page as the application maps them (sign-out last: it ends the visit), a chart opened on its own,
        // a refusal, and Hangfire's dashboard under its own policy.
        var urls = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            .Select(e => EndpointUrls.Fill(e.RoutePattern, "OWN"))
            .Where(url => url != "/account/sign-out")
            .Distinct()
            .Concat(["/charts/backlog.svg?season=2026", "/alerts?Carrier=%00", "/hangfire", "/hangfire/recurring"])
            .ToList();
        Assert.Contains("/uploads", urls);
        Assert.Contains("/dashboard", urls);

        var visited = new List<string>();
        foreach (var url in urls)
        {
            var response = await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
            Assert.NotNull(response);
            Assert.NotNull(await response.HeaderValueAsync("content-security-policy"));
            visited.Add($"{url} {response.Status}");
        }

        Assert.Empty(browser.TakePolicyViolations());
        Assert.True(visited.Count >= 20, string.Join("\n", visited));
    }

    [Fact]
    public async Task TheErrorPagesBackLinkStillGoesBackWithoutInlineScript()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("analyst", Roles.Analyst);
        var page = await browser.NewPageAsync(app.BaseAddress);
        await Infrastructure.Browser.SignInAsync(page, "analyst");
        await page.GotoAsync("/calendar");
        await page.GotoAsync("/alerts/999999");

        await page.ClickAsync("[data-action=back]");
        await page.WaitForURLAsync(url => url.EndsWith("/calendar", StringComparison.Ordinal));

        Assert.EndsWith("/calendar", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APageThatBreaksItsContentSecurityPolicyFailsTheBrowserTest()
    {
        var page = await browser.NewPageAsync(new Uri("http://127.0.0.1:9/"));
        // A made-up page under the pages' policy with what it forbids: an inline script and a style attribute.
        await page.RouteAsync("**/probe", route => route.FulfillAsync(new RouteFulfillOptions
        {
            ContentType = "text/html",
            Headers = new Dictionary<string, string> { ["Content-Security-Policy"] = PostalPeak.Shell.SecurityHeaders.PagePolicy },
            Body = "<!DOCTYPE html><p style=\"color:red\">probe</p><script>document.title = 'ran';</script>",
        }));

        await page.GotoAsync("/probe");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var violations = new List<string>();
        // Reported by the browser a moment after the page has loaded: wait for both.
        while ((!violations.Any(v => v.Contains("script-src", StringComparison.Ordinal)) || !violations.Any(v => v.Contains("style-src", StringComparison.Ordinal)))
               && DateTime.UtcNow < deadline)
        {
            violations.AddRange(browser.TakePolicyViolations());
            await page.WaitForTimeoutAsync(50);
        }

        Assert.Contains(violations, v => v.Contains("script-src", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("style-src", StringComparison.Ordinal));
        Assert.NotEqual("ran", await page.TitleAsync());
    }
}
