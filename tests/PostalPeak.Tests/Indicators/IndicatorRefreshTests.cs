using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dapper;
using PostalPeak.Accounts;
using PostalPeak.Indicators;

namespace PostalPeak.Tests.Indicators;

public sealed class IndicatorRefreshTests
{
    private sealed record Stamp(int CarrierId, string UnitCode, DateOnly ReportDate, DateTime ComputedAt, long? Closing);

    private static async Task<Dictionary<(int, string, DateOnly), Stamp>> StampsAsync(TestApp app)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        return (await connection.QueryAsync<Stamp>("select carrier_id, unit_code, report_date, computed_at, closing from daily_indicator"))
            .ToDictionary(s => (s.CarrierId, s.UnitCode, s.ReportDate));
    }

    [Fact]
    public async Task AnUploadThroughTheApiRefreshesOnlyItsCarriersChangedSeriesFromTheEarliestChangedDay()
    {
        await using var app = await TestApp.StartAsync();
        var alpha = await app.AddCarrierAsync("ALPHA");
        await app.AddCarrierAsync("BETA");
        const string days = "report_date,unit_code,received,delivered,backlog\n"
            + "2024-02-01,380,100,90,10\n2024-02-02,380,100,90,\n2024-02-03,380,100,90,\n"
            + "2024-02-01,381,50,50,0\n2024-02-02,381,50,50,0\n2024-02-03,381,50,50,0\n";
        await IndicatorTestData.IngestAsync(app, "ALPHA", days);
        await IndicatorTestData.IngestAsync(app, "BETA", days);
        var before = await StampsAsync(app);
        Assert.Equal(30L, before[(alpha.Id, "380", new DateOnly(2024, 2, 3))].Closing);

        await using var served = await ServedApp.StartAsync(new Dictionary<string, string> { ["ConnectionStrings__PostalPeak"] = app.ConnectionString });
        using var client = served.Client(await app.CreateTokenAsync("ALPHA"));
        // A correction of 2 February in unit 380 (more delivered) and a new day, 4 February.
        using var body = new StringContent("report_date,unit_code,received,delivered\n2024-02-02,380,100,95\n2024-02-04,380,100,90\n", Encoding.UTF8);
        body.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var response = await client.PostAsync("/api/v1/uploads", body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var uploadId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        // The upload says when its figures have caught up; by then the new day must be there.
        JsonElement upload = default;
        for (var attempt = 0; attempt < 600; attempt++)
        {
            upload = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/uploads/{uploadId}")).GetProperty("upload");
            if (upload.GetProperty("figures_updated_at").ValueKind != JsonValueKind.Null)
                break;
            await Task.Delay(100);
        }
        var after = await StampsAsync(app);

        Assert.Equal("accepted", upload.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, upload.GetProperty("figures_updated_at").ValueKind);
        Assert.True(after.ContainsKey((alpha.Id, "380", new DateOnly(2024, 2, 4))), $"upload {uploadId} said its figures were updated before they were");
        var changed = after.Values.Where(s => before.TryGetValue((s.CarrierId, s.UnitCode, s.ReportDate), out var old) && old.ComputedAt != s.ComputedAt)
            .Select(s => (s.UnitCode, s.ReportDate)).Order().ToList();
        Assert.Equal([("380", new DateOnly(2024, 2, 2)), ("380", new DateOnly(2024, 2, 3))], changed);
        Assert.All(after.Values.Where(s => s.CarrierId != alpha.Id), s => Assert.Equal(before[(s.CarrierId, s.UnitCode, s.ReportDate)], s));
        Assert.Equal([15L, 25L, 35L], new[] { 2, 3, 4 }.Select(d => after[(alpha.Id, "380", new DateOnly(2024, 2, d))].Closing!.Value));
        ReferenceIndicators.AssertSame(ReferenceIndicators.Compute(await IndicatorTestData.ReportsAsync(app)), await IndicatorTestData.IndicatorsAsync(app));

        // And the API serves the new figures.
        var rows = await client.GetFromJsonAsync<List<JsonElement>>("/api/v1/indicators?season=2024&by=unit&unit=380&from=2024-02-04");
        var row = Assert.Single(rows!);
        Assert.Equal((35, 25), (row.GetProperty("closing").GetInt64(), row.GetProperty("opening").GetInt64()));
    }

    [Fact]
    public async Task AnAdministratorQueuesAFullRecomputeFromThePageAndItIsAudited()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", Roles.Admin);
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var admin = await app.SignedInClientAsync("admin");
        using var analyst = await app.SignedInClientAsync("analyst");

        var token = await TestApp.AntiforgeryTokenAsync(admin, "/indicators");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
        var page = await admin.PostAsync("/indicators?handler=Recompute", form);
        var analystToken = await TestApp.AntiforgeryTokenAsync(analyst, "/indicators");
        using var analystForm = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = analystToken });
        var refused = await analyst.PostAsync("/indicators?handler=Recompute", analystForm);
        var apiWithoutAntiforgery = await admin.PostAsync("/api/v1/indicators/recompute", null);
        var analystPage = await analyst.GetStringAsync("/indicators");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("data-test=\"recompute\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/account/denied", refused.Headers.Location?.AbsolutePath, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.BadRequest, apiWithoutAntiforgery.StatusCode);
        Assert.DoesNotContain("data-test=\"recompute\"", analystPage, StringComparison.Ordinal);
        Assert.Equal(1, await app.CountAuditAsync("indicators.recompute"));
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(1, await connection.QuerySingleAsync<long>(
            "select count(*) from hangfire.job where invocationdata::text like '%IndicatorRefresh%' and invocationdata::text like '%RecomputeAllAsync%'"));
    }

    [Fact]
    public async Task TheRecomputeCommandRebuildsIndicatorsThatWereLost()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await IndicatorTestData.IngestAsync(app, "ALPHA", "report_date,unit_code,received,delivered,backlog\n2024-02-01,380,100,90,10\n2024-02-02,380,100,90,\n");
        await using (var connection = await app.Db.OpenConnectionAsync())
            await connection.ExecuteAsync("delete from daily_indicator");

        var result = await Cli.CommandLineTests.RunAsync(new Dictionary<string, string> { ["ConnectionStrings__PostalPeak"] = app.ConnectionString }, "recompute", "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(2, JsonDocument.Parse(result.Output).RootElement.GetProperty("rows").GetInt64());
        ReferenceIndicators.AssertSame(ReferenceIndicators.Compute(await IndicatorTestData.ReportsAsync(app)), await IndicatorTestData.IndicatorsAsync(app));
    }
}
