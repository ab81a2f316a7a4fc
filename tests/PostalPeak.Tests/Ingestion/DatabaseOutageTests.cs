using System.Net.Http.Headers;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace PostalPeak.Tests.Ingestion;

/// <summary>While the database is away, an upload is told plainly that it was not received: 503, never a 500 that claims nothing was lost.</summary>
public sealed class DatabaseOutageTests
{
    [Fact]
    public async Task AnUploadDuringADatabaseOutageGets503SayingTheFileWasNotReceivedAndWorksOnceItIsBack()
    {
        var real = new NpgsqlConnectionStringBuilder(await TestDatabase.CreateAsync());
        await using var gate = new TcpGate(real.Host!, real.Port);
        var throughGate = new NpgsqlConnectionStringBuilder(real.ConnectionString) { Port = gate.Port, Timeout = 3 }.ConnectionString;
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?> { ["ConnectionStrings:PostalPeak"] = throughGate });
        await app.AddCarrierAsync("ALPHA");
        using var client = app.Client(await app.CreateTokenAsync("ALPHA"));

        gate.Close();
        var english = await SendAsync(client, "en-US");
        var vietnamese = await SendAsync(client, null);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, english.StatusCode);
        Assert.NotNull(english.Headers.RetryAfter);
        var problem = await english.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("database_unavailable", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("title").GetString()!.Contains("NOT received", StringComparison.Ordinal), problem.ToString());
        Assert.DoesNotContain("lost", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.True(vietnamese.StatusCode == HttpStatusCode.ServiceUnavailable, string.Join("\n", app.Logs.Lines));
        Assert.Contains("CHƯA được nhận", (await vietnamese.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString(), StringComparison.Ordinal);
        using var anonymous = app.Client();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await anonymous.GetAsync("/healthz")).StatusCode);
        // A person's page says the same in the page's language, not a bare 500.
        var page = await client.GetAsync("/uploads");
        Assert.True(page.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)page.StatusCode} {string.Join("\n", app.Logs.Lines)}");
        Assert.Contains("CHƯA được nhận", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        gate.Open();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        HttpResponseMessage after;
        while ((after = await SendAsync(client, "en-US")).StatusCode != HttpStatusCode.Accepted && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        Assert.Equal(HttpStatusCode.Accepted, after.StatusCode);
        await using var connection = new NpgsqlConnection(real.ConnectionString);
        Assert.Equal(1, await connection.QuerySingleAsync<long>("select count(*) from upload"));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string? language)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/uploads")
        {
            Content = new StringContent("report_date,unit_code,received,delivered\n2023-01-10,380,1,1\n", System.Text.Encoding.UTF8, "text/csv"),
        };
        request.Headers.Add("X-File-Name", "day.csv");
        if (language is not null)
            request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue(language));
        return await client.SendAsync(request);
    }
}
