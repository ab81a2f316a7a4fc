using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Ingestion;

namespace PostalPeak.Tests.Ingestion;

/// <summary>
/// Random bytes and random mutations of the example files: every input must end as accepted, or rejected
/// with documented codes, or a 4xx; never an unhandled exception, a 500 or a hang. Seeds are fixed so a
/// failure can be replayed; the failing input's seed is in the message.
/// </summary>
public sealed class FuzzTests
{
    private static readonly HashSet<string> KnownCodes = [.. IssueCodes.Errors, .. IssueCodes.Warnings];

    private static readonly UnitCatalog Units = UnitCatalog.From(
        new[] { "380", "381", "382", "384", "385", "386", "387", "388", "389", "390" }.Select(c => (c, new DateOnly(2021, 1, 1), (DateOnly?)new DateOnly(2025, 6, 30)))
            .Concat(new[] { "14758", "14797" }.Select(c => (c, new DateOnly(2025, 7, 1), (DateOnly?)null))));

    private static readonly byte[][] Seeds = Examples.All().Select(e => File.ReadAllBytes(e.Path)).ToArray();

    internal static byte[] Mutate(Random random, int seed)
    {
        if (seed % 7 == 0)
        {
            var noise = new byte[random.Next(0, 3000)];
            random.NextBytes(noise);
            return noise;
        }
        var bytes = new List<byte>(Seeds[random.Next(Seeds.Length)]);
        var mutations = random.Next(1, 12);
        for (var m = 0; m < mutations && bytes.Count > 0; m++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes.RemoveRange(at, Math.Min(random.Next(1, 40), bytes.Count - at)); break;
                case 2: bytes.InsertRange(at, "\",;\t\r\n\"\"".Select(c => (byte)c).OrderBy(_ => random.Next()).Take(random.Next(1, 5))); break;
                case 3: bytes.InsertRange(at, bytes.GetRange(at, Math.Min(random.Next(1, 200), bytes.Count - at))); break;
                case 4: bytes.Insert(at, (byte)"0123456789.,-/"[random.Next(14)]); break;
                default: bytes.InsertRange(at, System.Text.Encoding.UTF8.GetBytes("Ngày ĐƠN VỊ ư ơ ế ")); break;
            }
        }
        return [.. bytes];
    }

    [Fact]
    public async Task TheReaderEndsEveryRandomInputWithRowsOrDocumentedCodes()
    {
        for (var seed = 0; seed < 2000; seed++)
        {
            var random = new Random(seed);
            var input = Mutate(random, seed);
            var issues = new IssueCollector();
            var clock = Stopwatch.StartNew();
            try
            {
                var detected = await TextEncodingDetector.DetectAsync(() => Task.FromResult<Stream>(new MemoryStream(input)), CancellationToken.None);
                if (!detected.IsText)
                    continue;
                var reader = new ReportFileReader(Units, "ALPHA", new DateOnly(2026, 11, 28));
                var rows = 0;
                await reader.ReadAsync(new MemoryStream(input), detected.Encoding!, issues, _ => { rows++; return ValueTask.CompletedTask; }, CancellationToken.None);
                Assert.True(rows > 0 || issues.HasErrors, $"seed {seed}: no rows and no error");
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"seed {seed}: {e.GetType().Name}: {e.Message}");
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"seed {seed} took {clock.Elapsed}");
            Assert.All(issues.Kept, i => Assert.Contains(i.Code, KnownCodes));
        }
    }

    [Fact]
    public async Task TheApiAnswersEveryRandomInputWithAResultOrA4xx()
    {
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?> { ["Ingestion:UploadsPerMinute"] = "10000" });
        await app.AddCarrierAsync("ALPHA");
        using var client = app.Client(await app.CreateTokenAsync("ALPHA"));
        var processor = app.Services.GetRequiredService<UploadProcessor>();

        for (var seed = 0; seed < 60; seed++)
        {
            var input = Mutate(new Random(10_000 + seed), seed);
            using var content = new ByteArrayContent(input);
            content.Headers.ContentType = new MediaTypeHeaderValue(seed % 3 == 0 ? "application/octet-stream" : "text/csv");
            using var form = new MultipartFormDataContent { { new ByteArrayContent(input), "file", "fuzz.csv" } };
            var response = await client.PostAsync("/api/v1/uploads", seed % 2 == 0 ? content : form);

            Assert.True((int)response.StatusCode < 500, $"seed {seed}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            if (response.StatusCode != HttpStatusCode.Accepted)
                continue;
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
            var status = await processor.ProcessAsync(id, CancellationToken.None);
            Assert.Contains(status, new[] { "accepted", "rejected", "duplicate" });
            var detail = await client.GetFromJsonAsync<JsonElement>($"/api/v1/uploads/{id}");
            var codes = detail.GetProperty("issues").EnumerateArray().Select(i => i.GetProperty("code").GetString()!).ToList();
            Assert.All(codes, code => Assert.Contains(code, KnownCodes));
            if (status == "rejected")
                Assert.NotEmpty(codes);
        }
    }
}
