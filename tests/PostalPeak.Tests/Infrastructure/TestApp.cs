using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PostalPeak.Accounts;
using PostalPeak.Audit;
using PostalPeak.Storage;

namespace PostalPeak.Tests.Infrastructure;

/// <summary>
/// The real application on a real Kestrel port of 127.0.0.1, over its own fresh database. One per test:
/// tests own their data.
/// </summary>
public sealed partial class TestApp : IAsyncDisposable
{
    public const string Password = "test-password-1";

    private readonly DatabaseServer _database;

    private TestApp(WebApplication app, DatabaseServer database, string connectionString)
    {
        App = app;
        _database = database;
        ConnectionString = connectionString;
        BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public WebApplication App { get; }
    public CollectingLoggerProvider Logs { get; private init; } = new();
    public string ConnectionString { get; }
    public Uri BaseAddress { get; }
    public IServiceProvider Services => App.Services;
    public NpgsqlDataSource Db => Services.GetRequiredService<NpgsqlDataSource>();

    /// <summary>
    /// Starts the app on a fresh database, or with <paramref name="sharedDatabase"/> (another TestApp's
    /// <see cref="ConnectionString"/>) as a second instance on the same one, as several servers behind a proxy run.
    /// </summary>
    public static async Task<TestApp> StartAsync(bool runJobs = false, IDictionary<string, string?>? settings = null, string? sharedDatabase = null)
    {
        var connectionString = sharedDatabase ?? await TestDatabase.CreateAsync();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Testing",
            ContentRootPath = AppContext.BaseDirectory,
            // Razor Pages are found in the application assembly, which is not the test host.
            ApplicationName = typeof(Program).Assembly.GetName().Name,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var logs = new CollectingLoggerProvider();
        builder.Logging.AddProvider(logs);
        var values = new Dictionary<string, string?>
        {
            ["ConnectionStrings:PostalPeak"] = connectionString,
            ["Jobs:RunServer"] = runJobs ? "true" : "false",
            ["Jobs:WorkerCount"] = "2",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            values[key] = value;
        builder.Configuration.AddInMemoryCollection(values);
        var database = await DatabaseServer.PrepareAsync(builder.Configuration, NullLoggerFactory.Instance);
        var app = Program.BuildWebApp(builder, database);
        await app.StartAsync();
        return new TestApp(app, database, connectionString) { Logs = logs };
    }

    public HttpClient Client(string? bearerToken = null, bool followRedirects = false)
    {
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = followRedirects };
        var client = new HttpClient(handler) { BaseAddress = BaseAddress };
        if (bearerToken is not null)
            client.DefaultRequestHeaders.Authorization = new("Bearer", bearerToken);
        return client;
    }

    public Task<PostalPeak.Carriers.Carrier> AddCarrierAsync(string code, string? name = null) =>
        Services.GetRequiredService<PostalPeak.Carriers.Carriers>().AddAsync(code, name ?? $"Carrier {code}", [$"ops@{code.ToLowerInvariant()}.example"], null, Actor.CommandLine());

    public Task<UserAccount> AddUserAsync(string userName, string role, string? carrierCode = null) =>
        Services.GetRequiredService<Users>().AddAsync(userName, userName, null, role, carrierCode, Password, Actor.CommandLine());

    public async Task<string> CreateTokenAsync(string carrierCode) =>
        (await Services.GetRequiredService<ApiTokens>().CreateAsync(carrierCode, "test", null, Actor.CommandLine())).Secret;

    /// <summary>
    /// A client signed in through the real sign-in form, anti-forgery token included. With
    /// <paramref name="antiforgeryHeader"/> it also sends the page's token on every request, as the site's
    /// own script does: API calls that change something on a person's cookie need it.
    /// </summary>
    public async Task<HttpClient> SignedInClientAsync(string userName, string password = Password, bool antiforgeryHeader = false)
    {
        var client = Client();
        var response = await SignInAsync(client, userName, password);
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in of {userName} answered {(int)response.StatusCode}.");
        // The token is bound to the person, so it is read after signing in (from the layout's language form).
        if (antiforgeryHeader)
            client.DefaultRequestHeaders.Add("X-CSRF-TOKEN", await AntiforgeryTokenAsync(client, "/"));
        return client;
    }

    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string userName, string password)
    {
        var token = await AntiforgeryTokenAsync(client, "/account/sign-in");
        return await client.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = userName,
            ["Password"] = password,
            ["__RequestVerificationToken"] = token,
        }));
    }

    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string page)
    {
        var html = await client.GetStringAsync(page);
        return AntiforgeryField().Match(html) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : throw new InvalidOperationException($"{page} has no anti-forgery token.");
    }

    public async Task<long> CountAuditAsync(string action)
    {
        await using var command = Db.CreateCommand("select count(*) from audit_log where action = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = action });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await _database.DisposeAsync();
    }
}
