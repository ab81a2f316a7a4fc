using System.Text;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Audit;
using PostalPeak.Ingestion;

namespace PostalPeak.Tests.Ingestion;

/// <summary>
/// Random and mutated inputs, long records included (megabyte notes, unclosed quotes, runs of quote pairs, a
/// dash in a cell, UTF-16 with a byte-swapped mark), through the real processor on the real database: each ends
/// accepted, rejected with documented codes, or duplicate; never failed, never left processing. Seeds are fixed;
/// the failing seed is in the message.
/// </summary>
public sealed class FinalStatePropertyTests
{
    private static readonly HashSet<string> KnownCodes = [.. IssueCodes.Errors, .. IssueCodes.Warnings];

    internal static byte[] Input(int seed)
    {
        var random = new Random(50_000 + seed);
        var bytes = FuzzTests.Mutate(random, seed);
        if (seed % 3 != 0)
            return bytes;
        var text = Encoding.UTF8.GetString(bytes);
        var at = random.Next(text.Length + 1);
        var insert = (seed / 3 % 6) switch
        {
            0 => new string('x', (1 << 20) + random.Next(1, 5000)),
            1 => "\"" + new string('y', 1 << 20),
            2 => string.Concat(Enumerable.Repeat("\"\"", (1 << 19) + random.Next(1000))),
            3 => string.Concat(Enumerable.Repeat(",", (1 << 20) + 10)),
            4 => ",-,",
            _ => "\uFFFE",
        };
        text = text.Insert(at, insert);
        // Some as UTF-16 with its byte order mark, as Excel's "Unicode text" writes them.
        return seed % 2 == 0 ? [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)] : Encoding.UTF8.GetBytes(text);
    }

    [Fact]
    public async Task EveryRandomOrMutatedInputEndsAcceptedRejectedOrDuplicate()
    {
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?> { ["Ingestion:MaxUploadBytes"] = (8 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await app.AddCarrierAsync("ALPHA");
        var store = app.Services.GetRequiredService<UploadStore>();
        var processor = app.Services.GetRequiredService<UploadProcessor>();

        for (var seed = 0; seed < 90; seed++)
        {
            var upload = await store.ReceiveAsync(new MemoryStream(Input(seed)), $"seed-{seed}.csv", "api", "ALPHA", Actor.CommandLine(), "vi", CancellationToken.None);
            var status = await processor.ProcessAsync(upload.Id, CancellationToken.None);

            var final = (await store.FindAsync(upload.Id))!;
            var issues = await store.IssuesAsync(upload.Id);
            Assert.True(status is "accepted" or "rejected" or "duplicate" && final.Status == status,
                $"seed {seed}: {status}/{final.Status} {string.Join(", ", issues.Select(i => i.Code))}");
            Assert.All(issues, i => Assert.True(KnownCodes.Contains(i.Code), $"seed {seed}: {i.Code}"));
            Assert.True(status != "rejected" || issues.Any(i => i.Severity == "error"), $"seed {seed}: rejected without an error");
        }
    }
}
