using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Accounts;
using PostalPeak.Alerts;
using PostalPeak.Audit;
using PostalPeak.Tests.Indicators;

namespace PostalPeak.Tests.Accounts;

/// <summary>
/// A carrier must not learn from an id whether another carrier's record exists: every route that names a record
/// answers a missing one and another carrier's one alike, in status, headers that matter and body.
/// </summary>
public sealed partial class ExistenceOracleTests
{
    /// <summary>An id and a carrier code nobody has.</summary>
    private const string MissingId = "98765";
    private const string MissingCarrier = "NOPE";

    /// <summary>Route parameters that name no record of a carrier: seasons are public, charts are kinds of chart.</summary>
    private static readonly HashSet<string> NotRecords = ["year", "kind", "format"];

    [Fact]
    public async Task ACarrierCannotTellAMissingRecordFromAnotherCarriersOne()
    {
        await using var app = await TestApp.StartAsync();
        var ids = await AnotherCarriersRecordsAsync(app);
        await app.AddUserAsync("manager", Roles.CarrierManager, "OWN");
        using var manager = await app.SignedInClientAsync("manager", antiforgeryHeader: true);
        using var token = app.Client(await app.CreateTokenAsync("OWN"));

        // Every endpoint whose route names a record, as the application maps them, so new ones are covered too.
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.Parameters.Any(p => !p.IsCatchAll))
            .ToList();
        var probed = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var parameters = endpoint.RoutePattern.Parameters.Where(p => !NotRecords.Contains(p.Name)).ToList();
            if (parameters.Count == 0)
                continue;
            // The record the route is about is its last parameter (a token within its carrier); any carrier before it is the caller's own.
            var varied = parameters[^1];
            var kind = KindOf(endpoint.RoutePattern, varied);
            Assert.True(ids.ContainsKey(kind), $"{endpoint.RoutePattern.RawText}: say which record '{{{varied.Name}}}' names (kind '{kind}').");
            var (other, missing) = kind == "carriers" ? ("OTHER", MissingCarrier) : (ids[kind], MissingId);
            // An attachment is numbered within its incident: the other carrier's incident, its attachment 1 against one it lacks.
            var parent = kind == "attachments" ? ids["incidents"] : null;
            var isPage = endpoint.Metadata.GetMetadata<HttpMethodMetadata>() is null;
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"];
            foreach (var method in methods)
                foreach (var handler in isPage && method == "POST" ? PageHandlers(endpoint) : [""])
                    foreach (var (caller, client) in new[] { ("manager", manager), ("token", token) })
                    {
                        if (isPage && caller == "token")
                            continue; // machines do not read pages
                        var answerForOther = await AskAsync(client, method, Url(endpoint.RoutePattern, varied.Name, other, parent) + handler);
                        var answerForMissing = await AskAsync(client, method, Url(endpoint.RoutePattern, varied.Name, missing, parent) + handler);
                        var what = $"{caller}: {method} {Url(endpoint.RoutePattern, varied.Name, "{" + varied.Name + "}", parent)}{handler}";
                        Assert.True((int)answerForOther.Status is >= 300 and < 500 and not 400,
                            $"{what} answered {answerForOther.Status} for another carrier's record, which is no refusal or not found.");
                        Assert.True(Comparable(answerForOther, other) == Comparable(answerForMissing, missing),
                            $"{what} tells another carrier's record ({other}) from a missing one ({missing}):\n{answerForOther}\n---\n{answerForMissing}");
                        probed.Add(what);
                    }
        }

        // The findings' own routes are among those probed.
        foreach (var route in new[]
                 {
                     "GET /api/v1/alerts/{id}", "POST /api/v1/alerts/{id}/acknowledge", "GET /alerts/{id}", "POST /alerts/{id}?handler=Acknowledge",
                     "GET /api/v1/uploads/{id}", "GET /api/v1/uploads/{id}/errors.csv", "GET /api/v1/uploads/{id}/original", "GET /uploads/{id}",
                     "DELETE /api/v1/carriers/OWN/tokens/{tokenId}", "GET /api/v1/carriers/{carrierCode}", "GET /api/v1/alert-rules/{id}",
                     "GET /api/v1/incidents/{id}", "POST /api/v1/incidents/{id}/updates", "POST /api/v1/incidents/{id}/state", "GET /incidents/{id}",
                     "POST /incidents/{id}?handler=State", "POST /incidents/{id}?handler=Update",
                 })
            Assert.Contains(probed, p => p.EndsWith(route, StringComparison.Ordinal) && p.StartsWith("manager", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACarrierSeesTheGeneralRulesAndItsOwnButNotAnotherCarriersRule()
    {
        await using var app = await TestApp.StartAsync();
        var ids = await AnotherCarriersRecordsAsync(app);
        await app.AddUserAsync("manager", Roles.CarrierManager, "OWN");
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var manager = await app.SignedInClientAsync("manager");
        using var analyst = await app.SignedInClientAsync("analyst");

        var seen = await manager.GetFromJsonAsync<List<Dictionary<string, System.Text.Json.JsonElement>>>("/api/v1/alert-rules");
        var all = await analyst.GetFromJsonAsync<List<Dictionary<string, System.Text.Json.JsonElement>>>("/api/v1/alert-rules");

        Assert.DoesNotContain(seen!, r => r["code"].GetString() == "other_only");
        Assert.Contains(seen!, r => r["code"].GetString() == "lost_parcels");
        Assert.Contains(all!, r => r["code"].GetString() == "other_only");
        Assert.DoesNotContain("other_only", await manager.GetStringAsync("/alerts/rules"), StringComparison.Ordinal);
        Assert.DoesNotContain("other_only", await manager.GetStringAsync("/alerts"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync($"/api/v1/alert-rules/{ids["alert-rules"]}")).StatusCode);
    }

    /// <summary>
    /// Carriers OWN and OTHER, and one record of every kind that belongs to OTHER (or, for the department's own
    /// records, exists at all), under ids no page prints by chance.
    /// </summary>
    private static async Task<Dictionary<string, string>> AnotherCarriersRecordsAsync(TestApp app)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        var start = 71000;
        foreach (var table in new[] { "alert", "upload", "api_token", "alert_rule", "alert_silence", "notification", "incident" })
            await connection.ExecuteAsync($"select setval(pg_get_serial_sequence('{table}', 'id'), {start += 1000})");
        await app.AddCarrierAsync("OWN");
        var other = await app.AddCarrierAsync("OTHER");
        await app.AddUserAsync("other.manager", Roles.CarrierManager, "OTHER");

        var upload = await IndicatorTestData.IngestAsync(app, "OTHER",
            "report_date,unit_code,received,delivered,lost\n2024-01-20,380,1000,900,0\n2024-01-21,380,1000,900,30\n");
        await app.Services.GetRequiredService<AlertEvaluator>().EvaluateCarrierAsync(other.Id, CancellationToken.None);
        var alert = await connection.QuerySingleAsync<long>("select a.id from alert a join carrier c on c.id = a.carrier_id where c.code = 'OTHER' limit 1");
        var tokenId = (await app.Services.GetRequiredService<ApiTokens>().CreateAsync("OTHER", "theirs", null, Actor.CommandLine())).Token.Id;
        var rule = await app.Services.GetRequiredService<AlertRules>().SaveAsync(null, new AlertRule
        {
            Code = "other_only", NameVi = "Riêng", NameEn = "Theirs", Metric = "lost", Comparison = ">", Threshold = 100, CarrierCode = "OTHER",
            ForDays = 1, Severity = "warning", Channels = ["email"], Enabled = true, Reason = "",
        }, Actor.CommandLine());
        var silence = await app.Services.GetRequiredService<AlertStore>().SilenceAsync(null, "OTHER", null, DateTime.UtcNow.AddDays(1), "Bảo trì",
            Actor.CommandLine(), TimeProvider.System);
        var notification = await connection.QuerySingleAsync<long>("""
            insert into notification (alert_id, kind, channel, recipient, subject, body, status)
            values (@alert, 'firing', 'email', 'ops@other.example', 's', 'b', 'failed') returning id
            """, new { alert });
        var incident = await app.Services.GetRequiredService<PostalPeak.Incidents.IncidentStore>().ReportAsync("OTHER",
            new PostalPeak.Incidents.IncidentInput("fire", "critical", "2024-01-21T09:00:00+07:00", [], null, "Cháy kho", null, "0912 345 678"),
            [new PostalPeak.Incidents.IncomingFile("kho.pdf", "application/pdf", "%PDF-1.4 theirs"u8.ToArray())], Actor.CommandLine());
        return new Dictionary<string, string>
        {
            ["incidents"] = Id(incident.Id), ["attachments"] = "1",
            ["alerts"] = Id(alert), ["uploads"] = Id(upload.Id), ["tokens"] = Id(tokenId), ["alert-rules"] = Id(rule.Id),
            ["silences"] = Id(silence.Id), ["notifications"] = Id(notification), ["users"] = "other.manager", ["carriers"] = "OTHER",
        };
    }

    private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The literal segment before the parameter: /api/v1/alerts/{id}/acknowledge names an alert.</summary>
    private static string KindOf(RoutePattern pattern, RoutePatternParameterPart parameter)
    {
        var index = pattern.PathSegments.ToList().FindIndex(s => s.Parts.Contains(parameter));
        return index > 0 && pattern.PathSegments[index - 1].Parts is [RoutePatternLiteralPart literal] ? literal.Content : "?";
    }

    /// <summary>A page's POST handlers, found on its model: a bare POST and every named one.</summary>
    private static List<string> PageHandlers(RouteEndpoint endpoint)
    {
        var page = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor>();
        var compiled = typeof(Program).Assembly.GetCustomAttributes(typeof(Microsoft.AspNetCore.Razor.Hosting.RazorCompiledItemAttribute), false)
            .Cast<Microsoft.AspNetCore.Razor.Hosting.RazorCompiledItemAttribute>()
            .FirstOrDefault(item => string.Equals(item.Identifier, page?.RelativePath, StringComparison.OrdinalIgnoreCase));
        var model = compiled?.Type.GetProperty("Model")?.PropertyType;
        Assert.True(model is not null, $"{endpoint.RoutePattern.RawText}: its page model was not found.");
        var named = model.GetMethods().Select(m => HandlerName().Match(m.Name)).Where(m => m.Success && m.Groups[1].Length > 0)
            .Select(m => "?handler=" + m.Groups[1].Value);
        return named.Prepend("").Distinct().ToList();
    }

    [GeneratedRegex("^OnPost([A-Z][A-Za-z]*?)(Async)?$")]
    private static partial Regex HandlerName();

    private sealed record Answer(HttpStatusCode Status, string? MediaType, string? Location, string Body)
    {
        public override string ToString() => $"{(int)Status} {MediaType} {Location}\n{(Body.Length > 1500 ? Body[..1500] : Body)}";
    }

    private static async Task<Answer> AskAsync(HttpClient client, string method, string url)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method is "POST" or "PUT")
            request.Content = url.StartsWith("/api/", StringComparison.Ordinal)
                ? JsonContent.Create(new { name = "x", note = "x", contact_emails = Array.Empty<string>() })
                : new FormUrlEncodedContent(new Dictionary<string, string> { ["Note"] = "x", ["Reason"] = "x", ["Hours"] = "1" });
        using var response = await client.SendAsync(request);
        return new Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Headers.Location?.OriginalString,
            await response.Content.ReadAsStringAsync());
    }

    /// <summary>An answer minus what differs by design: the key asked for, the trace id, the form's fresh anti-forgery token.</summary>
    private static string Comparable(Answer answer, string key)
    {
        var body = answer.Body;
        if (answer.MediaType is "application/problem+json" or "application/json" && JsonNode.Parse(body) is JsonObject json)
        {
            json.Remove("trace_id");
            json.Remove("traceId");
            body = json.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        }
        body = AntiforgeryToken().Replace(body, "");
        var asked = new Regex($"(?<![A-Za-z0-9]){Regex.Escape(key)}(?![A-Za-z0-9])");
        return $"{(int)answer.Status} {answer.MediaType} {asked.Replace(Uri.UnescapeDataString(answer.Location ?? ""), "{key}")}\n{asked.Replace(body, "{key}")}";
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"[^\"]+\"")]
    private static partial Regex AntiforgeryToken();

    /// <param name="parent">The record the varied one belongs to, for any other parameter of the route (an attachment's incident).</param>
    private static string Url(RoutePattern pattern, string varied, string value, string? parent = null)
    {
        var path = "/" + string.Join("/", pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart parameter when parameter.Name == varied => value,
            RoutePatternParameterPart { Name: CarrierAccessFilter.RouteValue } => "OWN",
            RoutePatternParameterPart when parent is not null => parent,
            _ => "",
        }))));
        return path;
    }
}
