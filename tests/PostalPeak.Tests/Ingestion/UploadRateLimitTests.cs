using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using PostalPeak.Accounts;

namespace PostalPeak.Tests.Ingestion;

/// <summary>The upload budget belongs to the carrier: every token, person and app instance draws on the same one.</summary>
public sealed class UploadRateLimitTests
{
    private static StringContent Csv(int day) => CsvBody.Of($"report_date,unit_code,received,delivered\n2023-01-{day:00},380,1,1\n");

    private static Dictionary<string, string?> Limit(int perMinute) => new() { ["Ingestion:UploadsPerMinute"] = perMinute.ToString(CultureInfo.InvariantCulture) };

    [Fact]
    public async Task TheLimitCountsEveryTokenAndPersonOfTheCarrierTogether()
    {
        await using var app = await TestApp.StartAsync(settings: Limit(4));
        await app.AddCarrierAsync("ALPHA");
        await app.AddCarrierAsync("BETA");
        await app.AddUserAsync("alpha.manager", Roles.CarrierManager, "ALPHA");
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var first = app.Client(await app.CreateTokenAsync("ALPHA"));
        using var second = app.Client(await app.CreateTokenAsync("ALPHA"));
        using var third = app.Client(await app.CreateTokenAsync("ALPHA"));
        using var manager = await app.SignedInClientAsync("alpha.manager", antiforgeryHeader: true);
        using var analyst = await app.SignedInClientAsync("analyst", antiforgeryHeader: true);
        using var beta = app.Client(await app.CreateTokenAsync("BETA"));

        var allowed = new List<HttpStatusCode>();
        foreach (var (client, day) in new[] { (first, 1), (second, 2), (third, 3), (manager, 4) })
            allowed.Add((await client.PostAsync("/api/v1/uploads", Csv(day))).StatusCode);
        var refused = new List<HttpResponseMessage>();
        foreach (var (client, day) in new[] { (first, 5), (second, 6), (third, 7), (manager, 8) })
            refused.Add(await client.PostAsync("/api/v1/uploads", Csv(day)));
        // Department staff sending on the carrier's behalf draw on the carrier's budget too.
        refused.Add(await analyst.PostAsync("/api/v1/uploads?carrier=ALPHA", Csv(9)));
        var otherCarrier = await beta.PostAsync("/api/v1/uploads", Csv(10));

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Accepted, 4), allowed);
        foreach (var response in refused)
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("rate_limited", problem.GetProperty("code").GetString());
            Assert.Contains("ALPHA", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
            var wait = int.Parse(response.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture);
            Assert.InRange(wait, 1, 60);
            Assert.Equal(wait, problem.GetProperty("retry_after").GetInt32());
        }
        Assert.Equal(HttpStatusCode.Accepted, otherCarrier.StatusCode);
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(4L, await Dapper.SqlMapper.QuerySingleAsync<long>(connection,
            "select count(*) from upload u join carrier c on c.id = u.carrier_id where c.code = 'ALPHA'"));
    }

    [Fact]
    public async Task TwoInstancesOnOneDatabaseShareTheCarriersLimit()
    {
        await using var one = await TestApp.StartAsync(settings: Limit(3));
        await using var two = await TestApp.StartAsync(settings: Limit(3), sameDatabaseAs: one);
        await one.AddCarrierAsync("ALPHA");
        var secret = await one.CreateTokenAsync("ALPHA");
        using var viaOne = one.Client(secret);
        using var viaTwo = two.Client(secret);

        var statuses = new List<HttpStatusCode>
        {
            (await viaOne.PostAsync("/api/v1/uploads", Csv(1))).StatusCode,
            (await viaTwo.PostAsync("/api/v1/uploads", Csv(2))).StatusCode,
            (await viaOne.PostAsync("/api/v1/uploads", Csv(3))).StatusCode,
            (await viaTwo.PostAsync("/api/v1/uploads", Csv(4))).StatusCode,
            (await viaOne.PostAsync("/api/v1/uploads", Csv(5))).StatusCode,
        };

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests],
            statuses);
    }

    [Fact]
    public async Task SimultaneousUploadsLetExactlyTheLimitThrough()
    {
        await using var app = await TestApp.StartAsync(settings: Limit(5));
        await app.AddCarrierAsync("ALPHA");
        var clients = new List<HttpClient>();
        for (var i = 0; i < 4; i++)
            clients.Add(app.Client(await app.CreateTokenAsync("ALPHA")));

        var responses = await Task.WhenAll(Enumerable.Range(1, 16).Select(day => clients[day % clients.Count].PostAsync("/api/v1/uploads", Csv(day))));

        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        Assert.Equal(11, responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests));
        clients.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task TheUploadPageExplainsTheLimitInTheReadersLanguage()
    {
        await using var app = await TestApp.StartAsync(settings: Limit(7));
        await app.AddCarrierAsync("ALPHA");
        await app.AddUserAsync("alpha.manager", Roles.CarrierManager, "ALPHA");
        using var manager = await app.SignedInClientAsync("alpha.manager");

        var vietnamese = System.Net.WebUtility.HtmlDecode(await manager.GetStringAsync("/uploads"));
        var english = System.Net.WebUtility.HtmlDecode(await manager.GetStringAsync("/uploads?culture=en-US"));

        // The page's script puts the server's Retry-After in place of {seconds}.
        Assert.Contains("data-rate-limited=\"Doanh nghiệp đã gửi 7 tệp trong một phút", vietnamese, StringComparison.Ordinal);
        Assert.Contains("hãy đợi {seconds} giây rồi gửi lại", vietnamese, StringComparison.Ordinal);
        Assert.Contains("data-rate-limited=\"Your carrier has sent 7 files within a minute", english, StringComparison.Ordinal);
        Assert.Contains("answer.code === 'rate_limited'", await manager.GetStringAsync("/js/upload.js"), StringComparison.Ordinal);
    }
}
