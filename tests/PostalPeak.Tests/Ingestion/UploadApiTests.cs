using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Accounts;

namespace PostalPeak.Tests.Ingestion;

public sealed class UploadApiTests
{
    private static StringContent Csv(string text) => CsvBody.Of(text);

    [Fact]
    public async Task RawCsvBodyIsAcceptedWith202AndALocation()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        using var client = app.Client(await app.CreateTokenAsync("ALPHA"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/uploads") { Content = Csv("report_date,unit_code,received,delivered\n2023-01-10,380,1,1\n") };
        request.Headers.Add("X-File-Name", Uri.EscapeDataString("báo cáo 10-01.csv"));

        var response = await client.SendAsync(request);

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync() + string.Join(" | ", app.Logs.Lines));
        var upload = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/api/v1/uploads/{upload.GetProperty("id").GetInt64()}", response.Headers.Location!.OriginalString);
        Assert.Equal("báo cáo 10-01.csv", upload.GetProperty("original_name").GetString());
        Assert.Equal("queued", upload.GetProperty("status").GetString());
        Assert.Equal("api", upload.GetProperty("channel").GetString());
    }

    [Fact]
    public async Task ATokenOrManagerNamingAnotherCarrierIsRefusedAndNothingIsStored()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddCarrierAsync("BETA");
        await app.AddUserAsync("alpha.manager", Roles.CarrierManager, "ALPHA");
        using var client = app.Client(await app.CreateTokenAsync("ALPHA"));
        using var manager = await app.SignedInClientAsync("alpha.manager", antiforgeryHeader: true);

        var response = await client.PostAsync("/api/v1/uploads?carrier=BETA", Csv("report_date,unit_code,received,delivered\n2023-01-10,380,1,1\n"));
        var byManager = await manager.PostAsync("/api/v1/uploads?carrier=beta", Csv("report_date,unit_code,received,delivered\n2023-01-11,380,1,1\n"));
        var own = await client.PostAsync("/api/v1/uploads?carrier=alpha", Csv("report_date,unit_code,received,delivered\n2023-01-12,380,1,1\n"));
        var beta = await client.GetAsync("/api/v1/uploads?carrier=BETA");

        // A file meant for BETA must not quietly land with ALPHA: the sender hears it went nowhere.
        foreach (var refused in new[] { response, byManager })
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("carrier_forbidden", problem.GetProperty("code").GetString());
            Assert.Contains("BETA", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.Accepted, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, beta.StatusCode);
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(["ALPHA"], await Dapper.SqlMapper.QueryAsync<string>(connection, "select c.code from upload u join carrier c on c.id = u.carrier_id"));
    }

    [Fact]
    public async Task ACarrierManagerCannotSeeAnotherCarriersUpload()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddCarrierAsync("BETA");
        await app.AddUserAsync("alpha", Roles.CarrierManager, "ALPHA");
        using var beta = app.Client(await app.CreateTokenAsync("BETA"));
        var id = (await (await beta.PostAsync("/api/v1/uploads", Csv("report_date,unit_code,received,delivered\n2023-01-10,380,1,1\n")))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        using var manager = await app.SignedInClientAsync("alpha");

        Assert.Equal(HttpStatusCode.NotFound, (await manager.GetAsync($"/api/v1/uploads/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await manager.GetAsync($"/api/v1/uploads/{id}/original")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await manager.GetAsync($"/api/v1/uploads/{id}/errors.csv")).StatusCode);
        // Not "forbidden": that would confirm the upload exists. The page answers as for an id nobody has.
        Assert.Equal(HttpStatusCode.NotFound, (await manager.GetAsync($"/uploads/{id}")).StatusCode);
    }

    [Fact]
    public async Task DepartmentStaffMustSayWhichCarrier()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var client = await app.SignedInClientAsync("analyst");
        var token = await TestApp.AntiforgeryTokenAsync(client, "/uploads");

        using var without = new HttpRequestMessage(HttpMethod.Post, "/api/v1/uploads") { Content = Csv("a\n") };
        without.Headers.Add("X-CSRF-TOKEN", token);
        using var with = new HttpRequestMessage(HttpMethod.Post, "/api/v1/uploads?carrier=ALPHA") { Content = Csv("report_date,unit_code,received,delivered\n2023-01-10,380,1,1\n") };
        with.Headers.Add("X-CSRF-TOKEN", token);

        var refused = await client.SendAsync(without);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("carrier_required", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(with)).StatusCode);
    }

    [Fact]
    public async Task ABrowserUploadWithoutTheAntiforgeryTokenIsRefused()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddUserAsync("alpha", Roles.CarrierManager, "ALPHA");
        using var client = await app.SignedInClientAsync("alpha");

        var response = await client.PostAsync("/api/v1/uploads", Csv("report_date,unit_code,received,delivered\n2023-01-10,380,1,1\n"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("antiforgery", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task AFileOverTheLimitGets413WithAClearMessageAndIsNotStored()
    {
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?> { ["Ingestion:MaxUploadBytes"] = "2048" });
        await app.AddCarrierAsync("ALPHA");
        using var client = app.Client(await app.CreateTokenAsync("ALPHA"));
        var big = "report_date,unit_code,received,delivered\n" + string.Concat(Enumerable.Repeat("2023-01-10,380,1,1\n", 400));

        var response = await client.PostAsync("/api/v1/uploads", Csv(big));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("too_large", problem.GetProperty("code").GetString());
        Assert.Contains("2,048", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(0L, await Dapper.SqlMapper.QuerySingleAsync<long>(connection, "select count(*) from upload"));
    }

    [Fact]
    public async Task TooManyUploadsInAMinuteGet429()
    {
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?> { ["Ingestion:UploadsPerMinute"] = "3" });
        await app.AddCarrierAsync("ALPHA");
        using var client = app.Client(await app.CreateTokenAsync("ALPHA"));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
            statuses.Add((await client.PostAsync("/api/v1/uploads", Csv($"report_date,unit_code,received,delivered\n2023-01-1{i},380,1,1\n"))).StatusCode);

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task ErrorsCsvListsEveryIssueInTheAskedLanguageSafeForExcel()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        using var client = app.Client(await app.CreateTokenAsync("ALPHA"));
        var sent = await client.PostAsync("/api/v1/uploads", Csv("report_date,unit_code,received,delivered\n2023-01-10,=1+1,1,1\n2023-01-10,380,-1,1\n"));
        var id = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        await app.Services.GetRequiredService<PostalPeak.Ingestion.UploadProcessor>().ProcessAsync(id, CancellationToken.None);

        var vietnamese = await client.GetStringAsync($"/api/v1/uploads/{id}/errors.csv");
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");
        var english = await client.GetStringAsync($"/api/v1/uploads/{id}/errors.csv");

        // The upload was sent in Vietnamese (no language asked): its report's headers are Vietnamese too, not English.
        Assert.StartsWith("Dòng,Cột,Mức độ,Mã,Nội dung", vietnamese.TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.StartsWith("Line,Column,Severity,Code,Message", english.TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.Contains("unknown_unit", vietnamese, StringComparison.Ordinal);
        Assert.Contains("không được âm", vietnamese, StringComparison.Ordinal);
        Assert.Contains("cannot be negative", english, StringComparison.Ordinal);
        Assert.DoesNotContain(",=1+1", vietnamese, StringComparison.Ordinal); // the formula is neutralised
    }

    [Fact]
    public async Task TheOriginalFileCanBeDownloadedByteForByte()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        using var client = app.Client(await app.CreateTokenAsync("ALPHA"));
        var bytes = await File.ReadAllBytesAsync(Path.Combine(Examples.Folder, "valid-windows-1258.csv"));
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var id = (await (await client.PostAsync("/api/v1/uploads", content)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        Assert.Equal(bytes, await client.GetByteArrayAsync($"/api/v1/uploads/{id}/original"));
    }
}
