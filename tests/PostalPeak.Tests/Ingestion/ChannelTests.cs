using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Accounts;
using PostalPeak.Ingestion;

namespace PostalPeak.Tests.Ingestion;

/// <summary>Every example file gives its documented result through every channel.</summary>
public sealed class ChannelTests
{
    [Fact]
    public async Task EveryExampleGivesItsDocumentedResultThroughTheApi()
    {
        await using var app = await TestApp.StartAsync(settings: Examples.Settings);
        await app.AddCarrierAsync(Examples.Carrier);
        await using var served = await ServedApp.StartAsync(Examples.Environment(app));
        using var client = served.Client(await app.CreateTokenAsync(Examples.Carrier));

        foreach (var example in Examples.All())
        {
            using var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(await File.ReadAllBytesAsync(example.Path));
            file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            form.Add(file, "file", example.File);
            var response = await client.PostAsync("/api/v1/uploads", form);

            if (example.Codes.Contains(IssueCodes.TooLarge))
            {
                Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
                Assert.Equal("too_large", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
                continue;
            }
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var detail = await UploadResults.WaitAsync(client, response.Headers.Location!);
            UploadResults.AssertMatches(example, detail);
        }
    }

    [Fact]
    public async Task EveryExampleGivesItsDocumentedResultThroughTheWebSession()
    {
        await using var app = await TestApp.StartAsync(settings: Examples.Settings);
        await app.AddCarrierAsync(Examples.Carrier);
        await app.AddUserAsync("manager", Roles.CarrierManager, Examples.Carrier);
        await using var served = await ServedApp.StartAsync(Examples.Environment(app));
        using var client = served.Client();
        Assert.Equal(HttpStatusCode.Redirect, (await TestApp.SignInAsync(client, "manager", TestApp.Password)).StatusCode);
        var antiforgery = await TestApp.AntiforgeryTokenAsync(client, "/uploads");

        foreach (var example in Examples.All())
        {
            using var form = new MultipartFormDataContent();
            form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(example.Path)), "file", example.File);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/uploads") { Content = form };
            request.Headers.Add("X-CSRF-TOKEN", antiforgery);
            var response = await client.SendAsync(request);

            if (example.Codes.Contains(IssueCodes.TooLarge))
            {
                Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
                continue;
            }
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var detail = await UploadResults.WaitAsync(client, response.Headers.Location!);
            Assert.Equal("web", detail.GetProperty("upload").GetProperty("channel").GetString());
            UploadResults.AssertMatches(example, detail);
        }
    }

    [Fact]
    public async Task EveryExampleGivesItsDocumentedResultThroughTheCommandLine()
    {
        await using var app = await TestApp.StartAsync(settings: Examples.Settings);
        await app.AddCarrierAsync(Examples.Carrier);
        var examples = Examples.All();

        var result = await Cli.CommandLineTests.RunAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__PostalPeak"] = app.ConnectionString,
            ["Ingestion__MaxUploadBytes"] = Examples.SizeLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, ["ingest", "--carrier", Examples.Carrier, "--json", .. examples.Select(e => e.Path)]);

        Assert.Equal(PostalPeak.Cli.ExitCodes.Rejected, result.ExitCode);
        var outcomes = JsonDocument.Parse(result.Output).RootElement.EnumerateArray().ToList();
        Assert.Equal(examples.Count, outcomes.Count);
        foreach (var (example, outcome) in examples.Zip(outcomes))
        {
            Assert.Equal(example.Status, outcome.GetProperty("upload").GetProperty("status").GetString());
            var codes = outcome.GetProperty("issues").EnumerateArray().Select(i => i.GetProperty("code").GetString()!).ToHashSet();
            Assert.True(example.Codes.SetEquals(codes), $"{example.File}: expected [{string.Join(", ", example.Codes)}], got [{string.Join(", ", codes)}]");
        }
    }

    [Fact]
    public async Task AllAcceptedExamplesExitZeroThroughTheCommandLine()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync(Examples.Carrier);

        var result = await Cli.CommandLineTests.RunAsync(new Dictionary<string, string> { ["ConnectionStrings__PostalPeak"] = app.ConnectionString },
            ["ingest", "--carrier", Examples.Carrier, .. Examples.All().Where(e => e.Status == "accepted").Select(e => e.Path)]);

        Assert.Equal(PostalPeak.Cli.ExitCodes.Success, result.ExitCode);
        Assert.Contains("đã nhận, lần gửi", result.Output, StringComparison.Ordinal); // --language defaults to vi
    }

    [Fact]
    public async Task EveryExampleGivesItsDocumentedResultThroughTheDropFolder()
    {
        var inbox = Path.Combine(Path.GetTempPath(), "postalpeak-inbox-" + Guid.NewGuid().ToString("N")[..8]);
        var settings = new Dictionary<string, string?>(Examples.Settings)
        {
            ["Ingestion:DropFolder:Inbox"] = inbox,
            ["Ingestion:DropFolder:SettleSeconds"] = "0",
        };
        await using var app = await TestApp.StartAsync(settings: settings);
        await app.AddCarrierAsync(Examples.Carrier);
        var folder = Directory.CreateDirectory(Path.Combine(inbox, Examples.Carrier.ToLowerInvariant())).FullName;
        var unknown = Directory.CreateDirectory(Path.Combine(inbox, "NOBODY")).FullName;
        var examples = Examples.All();
        try
        {
            foreach (var example in examples)
                File.Copy(example.Path, Path.Combine(folder, example.File));
            File.Copy(examples[0].Path, Path.Combine(unknown, examples[0].File));
            File.WriteAllText(Path.Combine(folder, "~$still-open.csv"), "locked by Excel");

            var outcomes = await app.Services.GetRequiredService<DropFolderJob>().RunAsync(CancellationToken.None);

            foreach (var example in examples)
            {
                var outcome = Assert.Single(outcomes, o => o.File == example.File && o.Carrier == Examples.Carrier);
                Assert.Equal(example.Status, outcome.Status);
                var moved = Path.Combine(folder, example.Status == "accepted" ? "processed" : "rejected", example.File);
                Assert.True(File.Exists(moved), $"{example.File} should be in {Path.GetDirectoryName(moved)}");
                if (example.Status == "rejected")
                {
                    var report = await File.ReadAllTextAsync(moved + ".errors.csv");
                    Assert.All(example.Codes, code => Assert.Contains(code, report, StringComparison.Ordinal));
                }
            }
            Assert.Equal("unknown_carrier", Assert.Single(outcomes, o => o.Carrier == "NOBODY").Status);
            Assert.True(File.Exists(Path.Combine(unknown, examples[0].File)), "a file of an unknown carrier stays where it is");
            Assert.True(File.Exists(Path.Combine(unknown, DropFolderJob.UnknownCarrierNote)));
            Assert.True(File.Exists(Path.Combine(folder, "~$still-open.csv")), "Excel's lock file is not collected");
        }
        finally
        {
            Directory.Delete(inbox, recursive: true);
        }
    }
}

internal static class UploadResults
{
    public static async Task<JsonElement> WaitAsync(HttpClient client, Uri location)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var detail = await client.GetFromJsonAsync<JsonElement>(location);
            var status = detail.GetProperty("upload").GetProperty("status").GetString();
            if (status is "accepted" or "rejected" or "duplicate" or "failed")
                return detail;
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
                throw new TimeoutException($"{location} still {status} after a minute.");
            await Task.Delay(100);
        }
    }

    public static void AssertMatches(Examples.Example example, JsonElement detail)
    {
        Assert.Equal(example.Status, detail.GetProperty("upload").GetProperty("status").GetString());
        var issues = detail.GetProperty("issues").EnumerateArray().ToList();
        var codes = issues.Select(i => i.GetProperty("code").GetString()!).ToHashSet();
        Assert.True(example.Codes.SetEquals(codes), $"{example.File}: expected [{string.Join(", ", example.Codes)}], got [{string.Join(", ", codes)}]");
        Assert.All(issues, i => Assert.False(string.IsNullOrWhiteSpace(i.GetProperty("message").GetString())));
    }
}
