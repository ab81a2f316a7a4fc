using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Accounts;
using PostalPeak.Alerts;
using PostalPeak.Audit;
using PostalPeak.Tests.Indicators;

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
        await using var app = await TwoCarriersAsync();
        await app.AddUserAsync("manager", Roles.CarrierManager, Own);
        using var token = app.Client(await app.CreateTokenAsync(Own));
        using var manager = await app.SignedInClientAsync("manager", antiforgeryHeader: true);

        // Every endpoint and page with a carrier= parameter, as the application maps them, so new ones are covered too.
        var takingCarrier = CarrierNamingEndpoints.TakingCarrierQuery(app.Services);
        var endpoints = takingCarrier.Where(f => !f.IsPage).ToList();
        var pages = takingCarrier.Where(f => f.IsPage).Select(f => f.Route).ToList();
        Assert.True(endpoints.Count >= 6, string.Join(", ", endpoints));
        Assert.Superset(new HashSet<string> { "/api/v1/indicators", "/api/v1/compliance", "/api/v1/alerts", "/api/v1/uploads", "/charts/{kind}.{format}",
            "/api/v1/incidents" }, endpoints.Select(f => f.Route).ToHashSet());
        Assert.Superset(new HashSet<string> { "/alerts", "/compare", "/heatmap", "/series", "/incidents" }, pages.ToHashSet());

        var asked = 0;
        foreach (var found in takingCarrier)
        {
            foreach (var method in found.Methods)
            {
                foreach (var url in QueryUrls(found))
                {
                    foreach (var (who, client) in new[] { ("token", token), ("manager", manager) })
                    {
                        var what = $"{who}: {method} {url}";
                        using var refused = await client.SendAsync(Request(method, Query(url, $"carrier={Other}")));
                        if (found.IsPage)
                            Assert.True(IsRefused(refused), $"{what} with carrier={Other} was not refused ({(int)refused.StatusCode}).");
                        else
                            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{what} with carrier={Other} answered {(int)refused.StatusCode} {refused.Headers.Location}, not 403.");
                        if (url.StartsWith("/api/", StringComparison.Ordinal))
                            Assert.Equal("carrier_forbidden", (await refused.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("code").GetString());
                        // The refusal may repeat the code it was asked for, and nothing else of that carrier.
                        AssertNothingOfTheOtherCarrier((await refused.Content.ReadAsStringAsync()).Replace(Other, "", StringComparison.Ordinal), what);

                        // Its own carrier, in any case, is answered, and with nothing of the other carrier's either.
                        if (found.IsPage && who == "token")
                            continue; // machines do not read pages
                        using var answered = await client.SendAsync(Request(method, Query(url, $"carrier={Own.ToLowerInvariant()}")));
                        Assert.True(answered.IsSuccessStatusCode, $"{what} with carrier={Own.ToLowerInvariant()} answered {(int)answered.StatusCode}.");
                        AssertNothingOfTheOtherCarrier(await answered.Content.ReadAsStringAsync(), what);
                        asked++;
                    }
                }
            }
        }
        Assert.True(asked >= 30, $"Only {asked} requests were asked.");
    }

    [Fact]
    public async Task NothingACarrierOpensShowsAnotherCarriersData()
    {
        await using var app = await TwoCarriersAsync();
        await app.AddUserAsync("manager", Roles.CarrierManager, Own);
        using var token = app.Client(await app.CreateTokenAsync(Own));
        using var manager = await app.SignedInClientAsync("manager", antiforgeryHeader: true);

        // Every page and GET endpoint that needs no record id (a carrier in its route is the caller's own), as mapped.
        var readable = CarrierNamingEndpoints.All(app.Services)
            .Select(e => new CarrierNamingEndpoints.Found(e, e.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor>() is not null))
            .Where(f => f.Methods.Contains("GET") && f.Endpoint.RoutePattern.Parameters.All(p => p.Name is CarrierAccessFilter.RouteValue or "kind" or "format"))
            .ToList();
        var opened = new List<string>();
        foreach (var found in readable)
        {
            foreach (var url in QueryUrls(found))
            {
                foreach (var (who, client) in new[] { ("token", token), ("manager", manager) })
                {
                    if (found.IsPage && who == "token")
                        continue;
                    using var response = await client.GetAsync(url);
                    AssertNothingOfTheOtherCarrier(await response.Content.ReadAsStringAsync(), $"{who}: GET {url}");
                    if (response.IsSuccessStatusCode)
                        opened.Add($"{who}: {url}");
                }
            }
        }

        // Enough to mean something: the overviews, the lists and their exports were among them.
        foreach (var url in new[] { "/dashboard", "/summary", "/indicators", "/carriers", "/alerts", "/", "/api/v1/carriers", "/api/v1/indicators?format=csv",
                     "/api/v1/compliance?format=csv", "/api/v1/alerts", "/api/v1/uploads", "/api/v1/alert-rules", "/charts/backlog.svg", "/charts/heatmap.csv",
                     "/incidents", "/api/v1/incidents", "/api/v1/incidents?format=csv" })
            Assert.Contains(opened, o => o.EndsWith(": " + url, StringComparison.Ordinal));
    }

    [Fact]
    public async Task EveryEndpointThatNamesACarrierDeclaresTheCarrierFilterAndEveryPageHasIt()
    {
        await using var app = await TestApp.StartAsync();

        var naming = CarrierNamingEndpoints.TakingCarrierQuery(app.Services).Concat(CarrierNamingEndpoints.RoutedByCarrier(app.Services)).Where(f => !f.IsPage).ToList();

        Assert.True(naming.Count >= 10, string.Join(", ", naming));
        Assert.All(naming, f => Assert.True(f.Endpoint.Metadata.GetMetadata<CarrierAccessFilter.Metadata>() is not null,
            $"{f.Route} names a carrier but its group does not RequireCarrierAccess()."));
        var pageFilters = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Mvc.MvcOptions>>().Value.Filters;
        Assert.Contains(pageFilters, f => f is Microsoft.AspNetCore.Mvc.TypeFilterAttribute { ImplementationType: var type } && type == typeof(CarrierPageAccessFilter));
    }

    [Fact]
    public async Task ACarrierCodeInAnyCaseNamesTheSameCarrierEverywhere()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddUserAsync("admin", Roles.Admin);
        await app.AddUserAsync("alpha.manager", Roles.CarrierManager, " alpha ");
        using var admin = await app.SignedInClientAsync("admin", antiforgeryHeader: true);
        using var manager = await app.SignedInClientAsync("alpha.manager", antiforgeryHeader: true);
        using var token = app.Client(await app.CreateTokenAsync("alpha"));

        var byAdmin = await admin.PutAsJsonAsync("/api/v1/carriers/alpha/contacts", new { contact_emails = new[] { "duty@alpha.example" }, contact_phone = "0237 1" });
        var byManager = await manager.PutAsJsonAsync("/api/v1/carriers/Alpha/contacts", new { contact_phone = "0237 2" });
        Assert.Equal(HttpStatusCode.OK, byAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byManager.StatusCode);
        var carrier = await token.GetFromJsonAsync<Dictionary<string, System.Text.Json.JsonElement>>("/api/v1/carriers/alpha");
        Assert.Equal("ALPHA", carrier!["code"].GetString());
        Assert.Equal("0237 2", carrier["contact_phone"].GetString());
        Assert.Equal(["duty@alpha.example"], carrier["contact_emails"].EnumerateArray().Select(e => e.GetString()));

        var created = await manager.PostAsJsonAsync("/api/v1/carriers/alpha/tokens", new { name = "nightly" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("token").GetProperty("id").GetInt32();
        Assert.Equal($"/api/v1/carriers/ALPHA/tokens/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await manager.DeleteAsync($"/api/v1/carriers/alpha/tokens/{id}")).StatusCode);

        using var upload = new StringContent("report_date,unit_code,received,delivered\n2024-01-10,380,1,1\n", System.Text.Encoding.UTF8, "text/csv");
        var uploaded = await admin.PostAsync("/api/v1/uploads?carrier=%20alpha", upload);
        Assert.Equal(HttpStatusCode.Accepted, uploaded.StatusCode);
        Assert.Equal("ALPHA", (await uploaded.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("carrier_code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await token.GetAsync("/api/v1/uploads?carrier=alpha")).StatusCode);
        var filed = await IndicatorTestData.IngestAsync(app, "alpha", "report_date,unit_code,carrier_code,received,delivered\n2024-01-11,380,Alpha,1,1\n");
        Assert.Equal(("ALPHA", "accepted"), (filed.CarrierCode, filed.Status));
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync("/alerts?carrier=alpha")).StatusCode);

        // Every route that names a carrier answers the lower-case code as the stored one, for its own manager and for an admin.
        var routed = CarrierNamingEndpoints.RoutedByCarrier(app.Services)
            .Where(f => f.Methods.Contains("GET") && f.Endpoint.RoutePattern.Parameters.All(p => p.Name == CarrierAccessFilter.RouteValue)).ToList();
        Assert.True(routed.Count >= 5, string.Join(", ", routed));
        foreach (var found in routed)
        {
            foreach (var (who, client) in new[] { ("admin", admin), ("manager", manager) })
            {
                var upper = await client.GetAsync(EndpointUrls.Fill(found.Endpoint.RoutePattern, "ALPHA"));
                var lower = await client.GetAsync(EndpointUrls.Fill(found.Endpoint.RoutePattern, "alpha"));
                Assert.True(upper.StatusCode == lower.StatusCode && upper.IsSuccessStatusCode,
                    $"{who}: GET {found.Route} answered {(int)upper.StatusCode} for ALPHA and {(int)lower.StatusCode} for alpha.");
            }
        }
    }

    private const string Own = "HOATOC";
    private const string Other = "ZETAPOST";
    private const string OtherName = "Zeta Hidden Express";
    /// <summary>What the other carrier received each day: a figure no page prints by chance.</summary>
    private const long OtherReceived = 4242421;

    /// <summary>
    /// Two carriers with the same days of reports (so figures, indicators and alerts exist for both), and a rule bound
    /// to the other one: an answer meant for one carrier can then be searched for anything of the other.
    /// </summary>
    private static async Task<TestApp> TwoCarriersAsync()
    {
        var app = await TestApp.StartAsync();
        var own = await app.AddCarrierAsync(Own, "Hỏa Tốc");
        var other = await app.AddCarrierAsync(Other, OtherName);
        await IndicatorTestData.IngestAsync(app, Own, IndicatorTestData.Header + "2024-01-20,380,1000,900,5,0,1,100,3,2\n2024-01-21,380,1000,900,5,30,1,200,4,3\n");
        await IndicatorTestData.IngestAsync(app, Other, IndicatorTestData.Header
            + $"2024-01-20,380,{OtherReceived},900,5,0,1,{OtherReceived},3,2\n2024-01-21,380,{OtherReceived},900,5,30,1,{OtherReceived},4,3\n", "zeta-hidden.csv");
        await app.Services.GetRequiredService<AlertRules>().SaveAsync(null, new AlertRule
        {
            Code = "zeta_only", NameVi = "Riêng Zeta", NameEn = "Zeta Hidden rule", Metric = "lost", Comparison = ">", Threshold = 1, CarrierCode = Other,
            ForDays = 1, Severity = "warning", Channels = ["email"], Enabled = true, Reason = "",
        }, Actor.CommandLine());
        var evaluator = app.Services.GetRequiredService<AlertEvaluator>();
        await evaluator.EvaluateCarrierAsync(own.Id, CancellationToken.None);
        await evaluator.EvaluateCarrierAsync(other.Id, CancellationToken.None);
        // An incident of the other carrier, with an attachment: no list, page or export of the caller's may show it.
        await app.Services.GetRequiredService<PostalPeak.Incidents.IncidentStore>().ReportAsync(Other, new PostalPeak.Incidents.IncidentInput(
            "theft", "critical", "2024-01-21T09:00:00+07:00", ["380"], 7, "Zeta Hidden theft", null, "Zeta Hidden duty officer"),
            [new PostalPeak.Incidents.IncomingFile("zeta.pdf", "application/pdf", "%PDF-1.4 zeta"u8.ToArray())], Actor.CommandLine());
        return app;
    }

    /// <summary>No code, name, file or figure of the other carrier, however it is written.</summary>
    private static void AssertNothingOfTheOtherCarrier(string body, string what)
    {
        foreach (var trace in new[] { Other, "Zeta", "zeta_only",
                     OtherReceived.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     OtherReceived.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
                     OtherReceived.ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("vi-VN")) })
            Assert.False(body.Contains(trace, StringComparison.OrdinalIgnoreCase), $"{what} shows '{trace}' of the other carrier:\n{(body.Length > 2000 ? body[..2000] : body)}");
    }

    /// <summary>
    /// The addresses to ask of an endpoint: a chart in every kind and format, an endpoint with a format also as CSV.
    /// The carrier in a route is the caller's own; the carrier query is the caller's to add.
    /// </summary>
    private static IEnumerable<string> QueryUrls(CarrierNamingEndpoints.Found found)
    {
        var pattern = found.Endpoint.RoutePattern;
        var kinds = pattern.Parameters.Any(p => p.Name == "kind") ? PostalPeak.Dashboard.ChartRequest.Kinds : [""];
        var formats = pattern.Parameters.Any(p => p.Name == "format") ? ["png", "svg", "csv"] : new[] { "" };
        var takesFormat = found.Endpoint.Metadata.GetMetadata<System.Reflection.MethodInfo>()?.GetParameters().Any(p => p.Name == "format") == true;
        foreach (var kind in kinds)
        {
            foreach (var format in formats)
            {
                var url = EndpointUrls.Fill(pattern, Own, name => name switch { "kind" => kind, "format" => format, _ => null });
                yield return url;
                if (takesFormat && format.Length == 0)
                    yield return url + "?format=csv";
            }
        }
    }

    private static string Query(string url, string parameter) => url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + parameter;

    private static HttpRequestMessage Request(string method, string url) => new(new HttpMethod(method), url)
    {
        Content = method == "PUT" && url.StartsWith("/api/v1/duty/roster/days", StringComparison.Ordinal) ? JsonContent.Create(new
            {
                entries = new[] { new { date = "2027-02-06", leader_name = "Nguyễn Văn An", leader_phone = "0912 345 678", operator_name = "Trần Thị Bình",
                    operator_phone = "0987 654 321", hotline = "1900 545481", hotline_24h = true } },
            })
            : method != "POST" ? null
            : url.StartsWith("/api/v1/duty/roster", StringComparison.Ordinal)
                ? new StringContent("date,leader_name,leader_phone,operator_name,operator_phone,hotline\n2027-02-06,Nguyễn Văn An,0912 345 678,Trần Thị Bình,0987 654 321,1900 545481\n",
                    System.Text.Encoding.UTF8, "text/csv")
            // An incident report is JSON; everything else that takes a POST with a carrier is a report file.
            : url.StartsWith("/api/v1/incidents", StringComparison.Ordinal) ? JsonContent.Create(new
            {
                type = "outage", severity = "info", started_at = "2024-01-20T08:00:00+07:00", unit_codes = new[] { "380" },
                description = "Mất điện trung tâm khai thác", contact = "0912 345 678",
            })
            : new StringContent("report_date,unit_code,received,delivered\n2024-01-10,380,1,1\n", System.Text.Encoding.UTF8, "text/csv"),
    };

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
