using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Accounts;

namespace PostalPeak.Tests.Accounts;

public sealed partial class AccessTests
{
    [Fact]
    public async Task AnonymousApiRequestGets401AsProblemDetails()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();

        var response = await client.GetAsync("/api/v1/carriers");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnonymousPageRequestIsSentToTheSignInForm()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();

        var response = await client.GetAsync("/carriers");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/sign-in", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CarrierManagerIsRefusedEveryActionForAnotherCarrier()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("OWN");
        await app.AddCarrierAsync("OTHER");
        await app.AddUserAsync("manager", Roles.CarrierManager, "OWN");
        using var client = await app.SignedInClientAsync("manager", antiforgeryHeader: true);

        // Every endpoint whose route names a carrier, as the application maps them, so new ones are covered too.
        var carrierScoped = app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.Parameters.Any(p => p.Name == CarrierAccessFilter.RouteValue))
            .ToList();
        Assert.NotEmpty(carrierScoped);

        foreach (var endpoint in carrierScoped)
        {
            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"];
            foreach (var method in methods)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), Url(endpoint.RoutePattern, "OTHER"));
                if (method is "POST" or "PUT")
                    request.Content = JsonContent.Create(new { name = "x", contact_emails = Array.Empty<string>() });
                var response = await client.SendAsync(request);
                Assert.True(IsRefused(response) || response.StatusCode is HttpStatusCode.BadRequest,
                    $"{method} {request.RequestUri} answered {(int)response.StatusCode}, not 403.");
                if (response.StatusCode == HttpStatusCode.BadRequest)
                {
                    // A page form post without its anti-forgery token is refused before anything else: ask with one.
                    Assert.Equal("POST", method);
                    Assert.DoesNotContain("/api/", request.RequestUri!.ToString(), StringComparison.Ordinal);
                }
            }
        }

        // And the same manager reaches its own carrier.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/carriers/OWN")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/carriers/OWN/tokens")).StatusCode);
        Assert.True(IsRefused(await client.GetAsync("/carriers/OTHER/tokens")));
    }

    [Fact]
    public async Task CarrierManagerSeesOnlyItsOwnCarrierInLists()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("OWN");
        await app.AddCarrierAsync("OTHER");
        await app.AddUserAsync("manager", Roles.CarrierManager, "OWN");
        using var client = await app.SignedInClientAsync("manager", antiforgeryHeader: true);

        var carriers = await client.GetFromJsonAsync<List<Dictionary<string, object>>>("/api/v1/carriers");
        var page = await client.GetStringAsync("/carriers");

        Assert.Equal(["OWN"], carriers!.Select(c => c["code"].ToString()));
        Assert.DoesNotContain("OTHER", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenActsOnlyForItsOwnCarrier()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("OWN");
        await app.AddCarrierAsync("OTHER");
        using var client = app.Client(await app.CreateTokenAsync("OWN"));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/carriers/OWN")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/carriers/OTHER")).StatusCode);
        // Machines do not manage tokens, not even their own carrier's.
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/api/v1/carriers/OWN/tokens", new { name = "more" })).StatusCode);
    }

    [Fact]
    public async Task RevokedTokenStopsWorking()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("OWN");
        await app.AddUserAsync("admin", Roles.Admin);
        using var admin = await app.SignedInClientAsync("admin", antiforgeryHeader: true);
        var created = await (await admin.PostAsJsonAsync("/api/v1/carriers/OWN/tokens", new { name = "nightly" })).Content.ReadFromJsonAsync<Dictionary<string, System.Text.Json.JsonElement>>();
        var secret = created!["secret"].GetString()!;
        var id = created["token"].GetProperty("id").GetInt32();
        using var machine = app.Client(secret);
        var me = await machine.GetFromJsonAsync<Dictionary<string, System.Text.Json.JsonElement>>("/api/v1/me");
        Assert.Equal("OWN", me!["carrier_code"].GetString());

        var revoke = await admin.DeleteAsync($"/api/v1/carriers/OWN/tokens/{id}");

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await machine.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(1, await app.CountAuditAsync("token.revoke"));
    }

    [Fact]
    public async Task UnknownTokenGets401()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client("pp_not-a-real-token");

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task HangfireDashboardIsForAdminsOnly()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", Roles.Admin);
        await app.AddUserAsync("analyst", Roles.Analyst);
        await app.AddCarrierAsync("OWN");
        await app.AddUserAsync("manager", Roles.CarrierManager, "OWN");

        using var anonymous = app.Client();
        using var analyst = await app.SignedInClientAsync("analyst", antiforgeryHeader: true);
        using var manager = await app.SignedInClientAsync("manager", antiforgeryHeader: true);
        using var admin = await app.SignedInClientAsync("admin", antiforgeryHeader: true);
        using var token = app.Client(await app.CreateTokenAsync("OWN"));

        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync("/hangfire")).StatusCode);
        Assert.True(IsRefused(await analyst.GetAsync("/hangfire")));
        Assert.True(IsRefused(await manager.GetAsync("/hangfire")));
        Assert.Equal(HttpStatusCode.Forbidden, (await token.GetAsync("/hangfire")).StatusCode);
        var dashboard = await admin.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("PostalPeak jobs", await dashboard.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyAdminsManageUsersAndCarriers()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var analyst = await app.SignedInClientAsync("analyst", antiforgeryHeader: true);

        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.PostAsJsonAsync("/api/v1/carriers", new { code = "NEW", name = "New" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync("/api/v1/users")).StatusCode);
        Assert.True(IsRefused(await analyst.GetAsync("/admin/users")));
    }

    [Fact]
    public async Task EveryEndpointAndPageThatTakesACarrierRefusesAnotherOneRatherThanSwappingInTheCallersOwn()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("OWN");
        await app.AddCarrierAsync("OTHER");
        await app.AddUserAsync("manager", Roles.CarrierManager, "OWN");
        using var token = app.Client(await app.CreateTokenAsync("OWN"));
        using var manager = await app.SignedInClientAsync("manager", antiforgeryHeader: true);

        // Every endpoint with a carrier= parameter, as the application maps them, so new ones are covered too.
        var takingCarrier = app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<System.Reflection.MethodInfo>()?.GetParameters().Any(p => p.Name == "carrier") == true)
            .ToList();
        Assert.True(takingCarrier.Count >= 6, string.Join(", ", takingCarrier.Select(e => e.RoutePattern.RawText)));

        foreach (var endpoint in takingCarrier)
        {
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                foreach (var (who, client) in new[] { ("token", token), ("manager", manager) })
                {
                    using var request = new HttpRequestMessage(new HttpMethod(method), QueryUrl(endpoint.RoutePattern) + "?carrier=OTHER");
                    if (method == "POST")
                        request.Content = new StringContent("report_date,unit_code,received,delivered\n2023-01-10,380,1,1\n", System.Text.Encoding.UTF8, "text/csv");
                    var response = await client.SendAsync(request);
                    Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{who}: {method} {request.RequestUri} answered {(int)response.StatusCode}, not 403.");
                    if (request.RequestUri!.ToString().StartsWith("/api/", StringComparison.Ordinal))
                        Assert.Equal("carrier_forbidden", (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("code").GetString());
                }
            }
        }

        // The pages that take ?carrier=: a new one must be added here.
        var pagesTakingCarrier = typeof(Program).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Microsoft.AspNetCore.Mvc.RazorPages.PageModel)) && t.GetProperty("Carrier") is { } carrier
                && carrier.GetCustomAttributes(typeof(Microsoft.AspNetCore.Mvc.BindPropertyAttribute), false) is [Microsoft.AspNetCore.Mvc.BindPropertyAttribute { SupportsGet: true }])
            .Select(t => t.Name).Order().ToList();
        var pages = new Dictionary<string, string>
        {
            ["AlertsPageModel"] = "/alerts", ["ComparePageModel"] = "/compare", ["HeatmapPageModel"] = "/heatmap",
            ["SeriesPageModel"] = "/series",
        };
        Assert.Equal(pages.Keys.Order(), pagesTakingCarrier);
        foreach (var page in pages.Values)
        {
            Assert.True(IsRefused(await manager.GetAsync(page + "?carrier=OTHER")), $"{page}?carrier=OTHER was not refused.");
            Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync(page + "?carrier=own")).StatusCode);
        }
    }

    /// <summary>A URL for an endpoint's route with values its handler accepts (a chart needs a real kind and format).</summary>
    private static string QueryUrl(RoutePattern pattern) =>
        TrailingSlash().Replace("/" + string.Join("/", pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart { Name: "kind" } => "backlog",
            RoutePatternParameterPart { Name: "format" } => "csv",
            RoutePatternParameterPart => "1",
            _ => "",
        })))), "");

    /// <summary>The API answers 403; a page sends the person to the access-denied page.</summary>
    private static bool IsRefused(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Forbidden
        || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/account/denied", StringComparison.Ordinal));

    private static string Url(RoutePattern pattern, string carrier)
    {
        var path = "/" + string.Join("/", pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart { Name: CarrierAccessFilter.RouteValue } => carrier,
            RoutePatternParameterPart => "1",
            _ => "",
        }))));
        return TrailingSlash().Replace(path, "");
    }

    [GeneratedRegex("(?<=.)/$")]
    private static partial Regex TrailingSlash();
}
