using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Accounts;
using PostalPeak.Audit;
using PostalPeak.Ingestion;

namespace PostalPeak.Tests.Compliance;

public sealed class ComplianceTests
{
    private static async Task IngestAtAsync(TestApp app, string csv, string receivedAt)
    {
        var store = app.Services.GetRequiredService<UploadStore>();
        var upload = await store.ReceiveAsync(new MemoryStream(Encoding.UTF8.GetBytes("report_date,unit_code,received,delivered\n" + csv)), "f.csv", "api", "ALPHA", Actor.CommandLine(), "vi", CancellationToken.None);
        Assert.Equal("accepted", await app.Services.GetRequiredService<UploadProcessor>().ProcessAsync(upload.Id, CancellationToken.None));
        // As the upload pipeline does: a carrier's service units are read from its refreshed figures.
        await app.Services.GetRequiredService<PostalPeak.Indicators.IndicatorRefresh>().RefreshAfterUploadAsync(upload.Id, CancellationToken.None);
        await using var connection = await app.Db.OpenConnectionAsync();
        await connection.ExecuteAsync("update upload set received_at = @at::timestamptz where id = @Id", new { at = receivedAt, upload.Id });
    }

    [Fact]
    public async Task EachDayIsOnTimeLateOrMissingAndTheFirstReportCounts()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddUserAsync("analyst", Roles.Analyst);
        await IngestAtAsync(app, "2023-01-10,380,100,90\n2023-01-12,380,100,90\n", "2023-01-11 09:00 +07");
        await IngestAtAsync(app, "2023-01-11,380,100,90\n", "2023-01-12 15:00 +07");
        await IngestAtAsync(app, "2023-01-12,380,120,95\n", "2023-01-14 08:00 +07"); // a late correction of an on-time day
        using var client = await app.SignedInClientAsync("analyst");

        var answer = await client.GetFromJsonAsync<JsonElement>("/api/v1/compliance?season=2023&carrier=ALPHA&unit=380&from=2023-01-10&to=2023-01-13");

        var statuses = answer.GetProperty("days").EnumerateArray()
            .Select(d => (d.GetProperty("report_date").GetString(), d.GetProperty("status").GetString())).ToList();
        Assert.Equal([("2023-01-10", "on_time"), ("2023-01-11", "late"), ("2023-01-12", "on_time"), ("2023-01-13", "missing")], statuses);
        var summary = answer.GetProperty("carriers").EnumerateArray().Single();
        Assert.Equal((4, 2, 1, 1), (summary.GetProperty("due").GetInt32(), summary.GetProperty("on_time").GetInt32(),
            summary.GetProperty("late").GetInt32(), summary.GetProperty("missing").GetInt32()));
        Assert.Equal(-12, answer.GetProperty("days")[0].GetProperty("tet_offset").GetInt32());
    }

    [Fact]
    public async Task ADeclaredServiceUnitIsExpectedOnlyWhileItIsInForceAcrossTheReform()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddUserAsync("analyst", Roles.Analyst);
        await using (var connection = await app.Db.OpenConnectionAsync())
        {
            // A district of 2023 and a commune of 2026: each is expected only on the days it exists.
            await connection.ExecuteAsync("""
                insert into carrier_service_unit (carrier_id, unit_code, declared_by)
                select id, u, 'test' from carrier, unnest(array['380', '14758']) u where code = 'ALPHA'
                """);
        }
        using var client = await app.SignedInClientAsync("analyst");

        var before = await client.GetFromJsonAsync<JsonElement>("/api/v1/compliance?season=2023&carrier=ALPHA&from=2023-01-22&to=2023-01-22");
        var after = await client.GetFromJsonAsync<JsonElement>("/api/v1/compliance?season=2026&carrier=ALPHA&from=2026-02-17&to=2026-02-17");

        Assert.Equal(["380 missing"], before.GetProperty("days").EnumerateArray().Select(d => $"{d.GetProperty("unit_code").GetString()} {d.GetProperty("status").GetString()}"));
        Assert.Equal(["14758"], after.GetProperty("days").EnumerateArray().Select(d => d.GetProperty("unit_code").GetString()));
    }

    [Fact]
    public async Task ACarrierServingThreeUnitsHasNoMissingReportsForTheOthers()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddUserAsync("analyst", Roles.Analyst);
        // No declared list: its service units are those it reported in the previous 7 days. The 13th is silent.
        await IngestAtAsync(app, "2023-01-10,380,100,90\n2023-01-10,381,100,90\n2023-01-10,382,100,90\n"
            + "2023-01-11,380,100,90\n2023-01-11,381,100,90\n2023-01-11,382,100,90\n2023-01-12,380,100,90\n2023-01-12,381,100,90\n", "2023-01-11 09:00 +07");
        using var client = await app.SignedInClientAsync("analyst");

        var answer = await client.GetFromJsonAsync<JsonElement>("/api/v1/compliance?season=2023&carrier=ALPHA&from=2023-01-10&to=2023-01-13");

        var days = answer.GetProperty("days").EnumerateArray()
            .Select(d => $"{d.GetProperty("report_date").GetString()} {d.GetProperty("unit_code").GetString()} {d.GetProperty("status").GetString()}").ToList();
        // Of the province's 27 districts only the carrier's three are ever expected: no false missing reports.
        Assert.Equal(["380", "381", "382"], days.Select(d => d.Split(' ')[1]).Distinct().Order());
        Assert.Contains("2023-01-12 382 missing", days);
        Assert.Equal(["2023-01-13 380 missing", "2023-01-13 381 missing", "2023-01-13 382 missing"], days.Where(d => d.StartsWith("2023-01-13", StringComparison.Ordinal)));
        var summary = answer.GetProperty("carriers").EnumerateArray().Single();
        Assert.Equal(4, summary.GetProperty("missing").GetInt32());
    }

    [Fact]
    public async Task ACarrierManagerSeesOnlyItsOwnCompliance()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddCarrierAsync("BETA");
        await app.AddUserAsync("alpha", Roles.CarrierManager, "ALPHA");
        using var client = await app.SignedInClientAsync("alpha");

        var own = await client.GetFromJsonAsync<JsonElement>("/api/v1/compliance?season=2023&from=2023-01-22&to=2023-01-22");
        var other = await client.GetAsync("/api/v1/compliance?season=2023&carrier=BETA");

        Assert.All(own.GetProperty("days").EnumerateArray(), d => Assert.Equal("ALPHA", d.GetProperty("carrier_code").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }

    [Fact]
    public async Task TheComplianceTablesDownloadAsCsvWithTheJsonNamesAndValues()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddUserAsync("analyst", Roles.Analyst);
        await IngestAtAsync(app, "2023-01-10,380,100,90\n", "2023-01-11 09:00 +07");
        await IngestAtAsync(app, "2023-01-11,380,100,90\n", "2023-01-12 15:00 +07");
        using var client = await app.SignedInClientAsync("analyst");
        const string query = "season=2023&carrier=ALPHA&unit=380&from=2023-01-10&to=2023-01-12";

        var json = await client.GetFromJsonAsync<JsonElement>($"/api/v1/compliance?{query}");
        var days = await client.GetAsync($"/api/v1/compliance?{query}&format=csv");
        var carriers = await client.GetStringAsync($"/api/v1/compliance?{query}&format=CSV&table=carriers");
        var unknown = await client.GetAsync($"/api/v1/compliance?{query}&format=csv&table=alerts");

        Assert.Equal("text/csv", days.Content.Headers.ContentType?.MediaType);
        Assert.Equal("compliance-2023.csv", days.Content.Headers.ContentDisposition?.FileNameStar ?? days.Content.Headers.ContentDisposition?.FileName);
        var lines = Lines(await days.Content.ReadAsStringAsync());
        Assert.Equal("carrier_code,unit_code,report_date,tet_offset,status,first_reported_at", lines[0]);
        Assert.Equal(json.GetProperty("days")[0].EnumerateObject().Select(p => p.Name), lines[0].Split(','));
        Assert.Equal(["ALPHA,380,2023-01-10,-12,on_time", "ALPHA,380,2023-01-11,-11,late", "ALPHA,380,2023-01-12,-10,missing"],
            lines.Skip(1).Select(l => string.Join(',', l.Split(',').Take(5))));
        Assert.All(lines.Skip(1).Zip(json.GetProperty("days").EnumerateArray()), pair =>
        {
            var at = pair.First.Split(',')[5];
            var expected = pair.Second.GetProperty("first_reported_at");
            Assert.Equal(expected.ValueKind == JsonValueKind.Null ? null : expected.GetDateTime(),
                at.Length == 0 ? (DateTime?)null : DateTime.Parse(at, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind));
        });
        // The moment as the JSON writes it, without a run of zeros.
        Assert.All(lines.Skip(1).Select(l => l.Split(',')[5]).Where(at => at.Length > 0), at => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*[1-9])?Z$", at));
        Assert.Equal(["carrier_code,due,on_time,late,missing", "ALPHA,3,1,1,1"], Lines(carriers));
        Assert.Equal(json.GetProperty("carriers")[0].EnumerateObject().Select(p => p.Name), Lines(carriers)[0].Split(','));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    private static string[] Lines(string csv) =>
        csv.TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
