using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Accounts;

namespace PostalPeak.Tests.Shell;

/// <summary>
/// PostgreSQL refuses a NUL (U+0000) in text, so a NUL anywhere a request carries text is refused at the door,
/// with a 400 that names the parameter, before it can reach a query and become a 500.
/// </summary>
public sealed partial class InputCharacterTests
{
    [Fact]
    public async Task ANulInAnyQueryParameterOfAnyGetEndpointOrPageIsRefusedWith400NamingTheParameter()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("OWN");
        await app.AddUserAsync("admin", Roles.Admin);
        using var admin = await app.SignedInClientAsync("admin", antiforgeryHeader: true);

        var probes = await QueryParametersAsync(app);
        // The API and the pages both, as the application maps them, so new parameters are covered too.
        Assert.Contains(probes, p => p.Url == "/api/v1/alerts" && p.Parameter == "unit");
        Assert.Contains(probes, p => p.Url == "/alerts" && p.Parameter == "Unit");
        Assert.True(probes.Count >= 40, $"Only {probes.Count} query parameters found.");

        var failures = new List<string>();
        foreach (var (url, parameter) in probes)
        {
            var response = await admin.GetAsync($"{url}?{parameter}=%00");
            var problem = await RefusalAsync(response, parameter);
            if (problem is not null)
                failures.Add($"GET {url}?{parameter}=%00: {problem}");
        }

        // A route value cannot carry one: Kestrel refuses a NUL in the path with a bare 400 before any endpoint runs.
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => e.RoutePattern.Parameters.Where(p => p.ParameterPolicies.Count == 0 && !p.IsCatchAll).Select(p => Url(e.RoutePattern, p.Name)))
            .Distinct()
            .ToList();
        Assert.Contains("/api/v1/carriers/%00", routes);
        foreach (var url in routes)
            if ((await admin.GetAsync(url)).StatusCode is var status && status != HttpStatusCode.BadRequest)
                failures.Add($"GET {url}: answered {(int)status}, not 400");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task ANulInTheFileNameHeaderOfAnUploadIsRefusedWith400NamingTheHeader()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("OWN");
        using var machine = app.Client(await app.CreateTokenAsync("OWN"));
        using var content = new StringContent("Ngày báo cáo,Mã đơn vị\n", Encoding.UTF8, "text/csv");
        content.Headers.Add("X-File-Name", "bao-cao%00.csv");

        var response = await machine.PostAsync("/api/v1/uploads", content);

        Assert.Null(await RefusalAsync(response, "X-File-Name"));
        Assert.Equal(0, await CountUploadsAsync(app));
    }

    [Theory]
    [InlineData("filename*=UTF-8''bao-cao%00.csv")]
    [InlineData("filename=\"bao-cao\0.csv\"")]
    public async Task ANulInTheFileNameOfAMultipartUploadIsRefusedWith400NamingTheField(string fileName)
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("OWN");
        using var machine = app.Client(await app.CreateTokenAsync("OWN"));
        // Written by hand: HttpClient would not put a NUL into a part's header.
        var body = $"--b\r\nContent-Disposition: form-data; name=\"file\"; {fileName}\r\nContent-Type: text/csv\r\n\r\nNgày báo cáo,Mã đơn vị\n\r\n--b--\r\n";
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");

        var response = await machine.PostAsync("/api/v1/uploads", content);

        Assert.Null(await RefusalAsync(response, "file"));
        Assert.Equal(0, await CountUploadsAsync(app));
    }

    [Fact]
    public async Task ANulInAFormFieldIsRefusedOnTheErrorPageInTheReadersLanguage()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();
        var token = await TestApp.AntiforgeryTokenAsync(client, "/account/sign-in");

        var response = await client.PostAsync("/culture", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["culture"] = "en-US",
            ["returnUrl"] = "/account/sign-in\0",
            ["__RequestVerificationToken"] = token,
        }));

        Assert.Null(await RefusalAsync(response, "returnUrl"));
        Assert.Contains("ký tự NUL", RefusalText(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        // Refused before it was used: the language stays Vietnamese.
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [],
            c => c.StartsWith(".AspNetCore.Culture=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ANulInAPageFormIsRefusedInEnglishForAnEnglishReaderAndNothingIsSaved()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", Roles.Admin);
        using var admin = await app.SignedInClientAsync("admin");
        admin.DefaultRequestHeaders.Add("Cookie", ".AspNetCore.Culture=c%3Den-US%7Cuic%3Den-US");
        var token = await TestApp.AntiforgeryTokenAsync(admin, "/admin/users");

        var response = await admin.PostAsync("/admin/users", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "new.analyst",
            ["DisplayName"] = "Nguyễn\0Văn A",
            ["Role"] = Roles.Analyst,
            ["__RequestVerificationToken"] = token,
        }));

        Assert.Null(await RefusalAsync(response, "DisplayName"));
        Assert.Contains("contains a NUL character", RefusalText(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        await using var command = app.Db.CreateCommand("select count(*) from app_user where user_name = 'new.analyst'");
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task ANulInAJsonBodyIsRefusedWith400NamingTheFieldAndNothingIsSaved()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", Roles.Admin);
        using var admin = await app.SignedInClientAsync("admin", antiforgeryHeader: true);

        var name = await admin.PostAsJsonAsync("/api/v1/carriers", new { code = "NEW", name = "Bưu chính\0Mới" });
        var email = await admin.PostAsJsonAsync("/api/v1/carriers", new { code = "NEW", name = "Bưu chính Mới", contact_emails = new[] { "ops\0@new.example" } });

        Assert.Null(await RefusalAsync(name, "name"));
        Assert.Null(await RefusalAsync(email, "contact_emails"));
        await using var command = app.Db.CreateCommand("select count(*) from carrier where code = 'NEW'");
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData("/\\evil.example")]
    [InlineData("//evil.example")]
    [InlineData("/\t/evil.example")]
    [InlineData("https://evil.example/")]
    public async Task TheLanguageSwitchRefusesAReturnAddressOnAnotherSite(string returnUrl)
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();
        var token = await TestApp.AntiforgeryTokenAsync(client, "/account/sign-in");

        var response = await client.PostAsync("/culture", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["culture"] = "en-US",
            ["returnUrl"] = returnUrl,
            ["__RequestVerificationToken"] = token,
        }));

        Assert.Null(await RefusalAsync(response, "returnUrl"));
        Assert.Contains("không thuộc trang này", RefusalText(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Null(response.Headers.Location);
    }

    /// <summary>
    /// Null when the response is the refusal asked for: 400, and for the API a problem with the code
    /// invalid_character (or invalid_return_url) naming the parameter; for pages the error page naming it.
    /// Otherwise what is wrong with it.
    /// </summary>
    private static async Task<string?> RefusalAsync(HttpResponseMessage response, string parameter)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.BadRequest)
            return $"answered {(int)response.StatusCode}, not 400";
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            var problem = JsonSerializer.Deserialize<JsonElement>(body);
            var code = problem.TryGetProperty("code", out var c) ? c.GetString() : null;
            var named = problem.TryGetProperty("parameter", out var p) ? p.GetString() : null;
            return code is "invalid_character" or "invalid_return_url" && named == parameter && problem.GetProperty("title").GetString()!.Contains($"'{parameter}'", StringComparison.Ordinal)
                ? null
                : $"problem {body} does not name '{parameter}'";
        }
        return RefusalText(body).Contains($"'{parameter}'", StringComparison.Ordinal) ? null : $"page does not name '{parameter}': {WebUtility.HtmlDecode(MainPart().Match(body).Value)}";
    }

    private static string RefusalText(string html) =>
        RefusalParagraph().Match(html) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : "";

    private static async Task<long> CountUploadsAsync(TestApp app)
    {
        await using var command = app.Db.CreateCommand("select count(*) from upload");
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Every query parameter of every GET endpoint (from the API description) and page (from its bound properties and handlers).</summary>
    private static async Task<List<(string Url, string Parameter)>> QueryParametersAsync(TestApp app)
    {
        var probes = new List<(string Url, string Parameter)>();
        foreach (var description in app.Services.GetRequiredService<IApiDescriptionGroupCollectionProvider>().ApiDescriptionGroups.Items.SelectMany(g => g.Items))
        {
            if (description.HttpMethod != "GET")
                continue;
            var url = Url(RoutePatternFactory.Parse(description.RelativePath!.Split('?')[0]), null);
            probes.AddRange(description.ParameterDescriptions.Where(p => p.Source == BindingSource.Query).Select(p => (url, p.Name)));
        }

        var loader = app.Services.GetRequiredService<PageLoader>();
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is not { } descriptor)
                continue;
            var page = descriptor as CompiledPageActionDescriptor ?? await loader.LoadAsync(descriptor, endpoint.Metadata);
            var url = Url(endpoint.RoutePattern, null);
            var routeNames = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var properties = page.HandlerTypeInfo.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetCustomAttribute<BindPropertyAttribute>() is { SupportsGet: true } && !routeNames.Contains(p.Name))
                .Select(p => (url, p.Name));
            var handlers = page.HandlerMethods.Where(h => h.HttpMethod == "GET")
                .SelectMany(h => h.Parameters
                    .Where(p => p.ParameterType != typeof(CancellationToken) && !routeNames.Contains(p.Name))
                    .Select(p => (h.Name is null ? url : $"{url}?handler={h.Name}&", p.Name)));
            probes.AddRange(properties.Concat(handlers));
        }
        // "?handler=X&" already opened the query string.
        return probes.Select(p => (p.Item1.EndsWith('&') ? p.Item1[..^1] : p.Item1, p.Item2)).Distinct().ToList();
    }

    /// <summary>The path with the named route value set to a NUL and the others to something that matches.</summary>
    private static string Url(RoutePattern pattern, string? nul) => EndpointUrls.Fill(pattern, "OWN", name => name == nul ? "%00" : null);

    [GeneratedRegex("<main>.*?</main>", RegexOptions.Singleline)]
    private static partial Regex MainPart();

    [GeneratedRegex("<p role=\"alert\">(.*?)</p>", RegexOptions.Singleline)]
    private static partial Regex RefusalParagraph();
}
