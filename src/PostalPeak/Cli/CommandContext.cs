using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using PostalPeak.Storage;

namespace PostalPeak.Cli;

/// <summary>
/// What a command that works on the database gets: the same configuration, database and services as `serve`
/// (<see cref="Program.AddFeatures"/>), in a host without a web server. A command is one piece of work, not a
/// service: the host is built for its services and its start-up checks, and none of its hosted services (the job
/// server, the key ring's loader) is started.
/// </summary>
internal sealed class CommandContext : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        // Vietnamese names stay readable in a terminal.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly IHost _host;
    private readonly ILoggerFactory _loggers;

    private CommandContext(IHost host, ILoggerFactory loggers, DatabaseServer database, TextWriter output)
    {
        _host = host;
        _loggers = loggers;
        Database = database;
        Output = output;
    }

    public DatabaseServer Database { get; }
    public TextWriter Output { get; }
    public NpgsqlDataSource DataSource => Get<NpgsqlDataSource>();

    /// <summary>A service as `serve` registers it.</summary>
    public T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    /// <summary>The sources `serve` reads: appsettings.json, appsettings.{environment}.json, then environment variables.</summary>
    public static HostApplicationBuilder CreateBuilder()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? Environments.Production,
        });
        // Standard output is the command's result (--json is read by scripts): logs go to standard error, warnings and up.
        builder.Logging.ClearProviders()
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
            .SetMinimumLevel(LogLevel.Warning);
        return builder;
    }

    public static IConfiguration LoadConfiguration() => CreateBuilder().Configuration;

    public static async Task<CommandContext> OpenAsync(TextWriter output, CancellationToken cancellationToken)
    {
        // The checks serve's start runs (ValidateOnStart), on the same registrations, before anything else: a bad
        // setting stops the command at once, before a database is started, migrated or written.
        using (var check = Build(CreateBuilder(), DatabaseServer.NotPrepared))
            check.Services.GetRequiredService<IStartupValidator>().Validate();

        var builder = CreateBuilder();
        var loggers = LoggerFactory.Create(logging => logging
            .AddConfiguration(builder.Configuration.GetSection("Logging"))
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
            .SetMinimumLevel(LogLevel.Warning));
        DatabaseServer? database = null;
        IHost? host = null;
        try
        {
            database = await DatabaseServer.PrepareAsync(builder.Configuration, loggers, cancellationToken);
            host = Build(builder, database);
            return new CommandContext(host, loggers, database, output);
        }
        catch
        {
            host?.Dispose();
            if (database is not null)
                await database.DisposeAsync();
            loggers.Dispose();
            throw;
        }
    }

    private static IHost Build(HostApplicationBuilder builder, DatabaseServer database)
    {
        Program.AddFeatures(builder, database);
        return builder.Build();
    }

    public Task WriteJsonAsync(object value) => Output.WriteLineAsync(JsonSerializer.Serialize(value, Json));

    public async ValueTask DisposeAsync()
    {
        if (_host is IAsyncDisposable asyncHost)
            await asyncHost.DisposeAsync();
        else
            _host.Dispose();
        await Database.DisposeAsync();
        _loggers.Dispose();
    }
}
