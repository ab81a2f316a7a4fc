using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Accounts;

namespace PostalPeak.Tests.Shell;

public sealed partial class SecurityHeadersTests
{
    [Fact]
    public async Task EveryPageEndpointChartErrorAndFileAnswersWithTheSecurityHeadersAndThePagesCarryNoInlineScriptOrStyle()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("OWN");
        await app.AddUserAsync("admin", Roles.Admin);
        using var admin = await app.SignedInClientAsync("admin", antiforgeryHeader: true);
        using var anonymous = app.Client();

        // Every GET route as the application maps them, so new pages and endpoints are covered too; then what no
        // route lists: errors of every kind, the stylesheet and scripts, a chart as SVG, the jobs dashboard.
        var urls = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("GET") ?? true)
            .Where(e => !e.RoutePattern.Parameters.Any(p => p.IsCatchAll))
            .Select(e => EndpointUrls.Fill(e.RoutePattern, "OWN"))
            .Concat(["/no-such-page", "/api/v1/no-such-endpoint", "/alerts/999999", "/alerts?Carrier=%00", "/api/v1/alerts?unit=%00",
                     "/charts/backlog.svg?season=2026", "/charts/no-such.png", "/site.css", "/js/site.js", "/hangfire", "/hangfire/jobs/enqueued"])
            .Distinct()
            .ToList();
        Assert.Contains("/uploads", urls);
        Assert.Contains("/api/v1/carriers/OWN", urls);

        var failures = new List<string>();
        foreach (var url in urls)
        {
            foreach (var (client, who) in new[] { (admin, "admin"), (anonymous, "anonymous") })
            {
                using var response = await client.GetAsync(url);
                var problems = Problems(url, response, await response.Content.ReadAsStringAsync());
                failures.AddRange(problems.Select(p => $"GET {url} ({who}, {(int)response.StatusCode}): {p}"));
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // An SVG may style itself (ScottPlot writes style attributes) and nothing else.
        using var svg = await admin.GetAsync("/charts/backlog.svg?season=2026");
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
        Assert.Equal("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'", svg.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Theory]
    [InlineData("https", true)]
    [InlineData(null, false)]
    public async Task HstsIsSentOnlyWhenTheRequestCameOverHttps(string? forwardedProto, bool expected)
    {
        await using var app = await TestApp.StartAsync();
        await using var served = await ServedApp.StartAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__PostalPeak"] = app.ConnectionString,
            ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true",
        });
        using var client = served.Client();
        if (forwardedProto is not null)
            client.DefaultRequestHeaders.Add("X-Forwarded-Proto", forwardedProto);

        using var page = await client.GetAsync("/account/sign-in");
        using var error = await client.GetAsync("/no-such-page");

        Assert.Equal(expected, page.Headers.TryGetValues("Strict-Transport-Security", out var values) && values.Single() == "max-age=31536000");
        Assert.Equal(expected, error.Headers.Contains("Strict-Transport-Security"));
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
    }

    /// <summary>What is missing or too loose in one response's headers, and inline script or style in a page.</summary>
    private static IEnumerable<string> Problems(string url, HttpResponseMessage response, string body)
    {
        string? Header(string name) => response.Headers.TryGetValues(name, out var v) || response.Content.Headers.TryGetValues(name, out v) ? string.Join(",", v) : null;

        var policy = Header("Content-Security-Policy");
        if (policy is null)
        {
            yield return "no Content-Security-Policy";
            yield break;
        }
        var directives = policy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d);
        if (!directives.TryGetValue("frame-ancestors", out var frames) || frames != "frame-ancestors 'none'")
            yield return $"no frame-ancestors 'none' in {policy}";
        if (Header("X-Frame-Options") != "DENY")
            yield return $"X-Frame-Options {Header("X-Frame-Options")}";
        if (Header("X-Content-Type-Options") != "nosniff")
            yield return "no X-Content-Type-Options: nosniff";
        if (Header("Referrer-Policy") is not ("same-origin" or "strict-origin-when-cross-origin" or "no-referrer"))
            yield return $"Referrer-Policy {Header("Referrer-Policy")}";
        // The tests talk plain HTTP to 127.0.0.1.
        if (Header("Strict-Transport-Security") is not null)
            yield return "HSTS over plain HTTP";

        var script = directives.GetValueOrDefault("script-src") ?? directives.GetValueOrDefault("default-src") ?? "";
        if (script.Contains("'unsafe-inline'", StringComparison.Ordinal) || script.Contains("'unsafe-eval'", StringComparison.Ordinal) || script.Contains('*', StringComparison.Ordinal))
            yield return $"scripts not limited to files of this site: {script}";
        // An SVG chart, JSON, CSV, a PNG: nothing may load from them.
        var html = response.Content.Headers.ContentType?.MediaType == "text/html";
        if (!html && directives.GetValueOrDefault("default-src") != "default-src 'none'")
            yield return $"a {response.Content.Headers.ContentType?.MediaType} answer may load things: {policy}";

        // Hangfire's own markup has style attributes; its policy allows those, and only those.
        if (html && !url.StartsWith("/hangfire", StringComparison.Ordinal))
        {
            var style = directives.GetValueOrDefault("style-src") ?? directives.GetValueOrDefault("default-src") ?? "";
            if (style.Contains("'unsafe-inline'", StringComparison.Ordinal))
                yield return $"a page allows inline style: {style}";
            foreach (Match inline in InlineCode().Matches(body))
                yield return $"inline code the policy blocks: {inline.Value}";
        }
    }

    /// <summary>An inline script, a style element or attribute, an event-handler attribute or a javascript: address.</summary>
    [GeneratedRegex(@"<script(?![^>]*\ssrc=)[^>]*>|<style[\s>]|\sstyle=""|\son[a-z]+=""|javascript:", RegexOptions.IgnoreCase)]
    private static partial Regex InlineCode();
}
