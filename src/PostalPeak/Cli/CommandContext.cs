using System.Text.Json;
using Npgsql;
using PostalPeak.Storage;

namespace PostalPeak.Cli;

/// <summary>What a command that works on the database gets: the same configuration and database as `serve`.</summary>
internal sealed class CommandContext : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        // Vietnamese names stay readable in a terminal.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private CommandContext(IConfiguration configuration, ILoggerFactory loggers, DatabaseServer database, TextWriter output)
    {
        Configuration = configuration;
        Loggers = loggers;
        Database = database;
        Output = output;
        DataSource = NpgsqlDataSource.Create(database.ConnectionString);
    }

    public IConfiguration Configuration { get; }
    public ILoggerFactory Loggers { get; }
    public DatabaseServer Database { get; }
    public NpgsqlDataSource DataSource { get; }
    public TextWriter Output { get; }

    public static IConfiguration LoadConfiguration() =>
        new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production"}.json", optional: true)
            .AddEnvironmentVariables()
            .Build();

    public static async Task<CommandContext> OpenAsync(TextWriter output, CancellationToken cancellationToken)
    {
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
        var configuration = LoadConfiguration();
        var loggers = LoggerFactory.Create(logging => logging
            .AddConfiguration(configuration.GetSection("Logging"))
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
            .SetMinimumLevel(LogLevel.Warning));
        try
        {
            var database = await DatabaseServer.PrepareAsync(configuration, loggers, cancellationToken);
            return new CommandContext(configuration, loggers, database, output);
        }
        catch
        {
            loggers.Dispose();
            throw;
        }
    }

    public Task WriteJsonAsync(object value) => Output.WriteLineAsync(JsonSerializer.Serialize(value, Json));

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await Database.DisposeAsync();
        Loggers.Dispose();
    }
}
