using System.CommandLine;
using PostalPeak.Storage;

namespace PostalPeak.Cli;

internal static class ServeCommand
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static Command Create()
    {
        var urls = new Option<string?>("--urls")
        {
            Description = $"Address(es) to listen on, separated by ';'. Default: the 'urls' setting, else {DefaultUrl}.",
        };
        var command = new Command("serve", "Run the web application and the job server (the default command).") { urls };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions
            {
                Args = [],
                ContentRootPath = AppContext.BaseDirectory,
            });
            var chosen = parse.GetValue(urls) ?? builder.Configuration["urls"] ?? DefaultUrl;
            builder.WebHost.UseUrls(chosen);

            using var loggers = LoggerFactory.Create(logging => logging
                .AddConfiguration(builder.Configuration.GetSection("Logging"))
                .AddSimpleConsole(console => console.SingleLine = true));
            await using var database = await DatabaseServer.PrepareAsync(builder.Configuration, loggers, cancellationToken);
            await using var app = Program.BuildWebApp(builder, database);
            await app.StartAsync(cancellationToken);
            foreach (var address in app.Urls)
                await parse.InvocationConfiguration.Output.WriteLineAsync($"PostalPeak is running at {address}  (database: {database.Redacted()}{(database.Embedded is null ? "" : ", private")})");
            await app.WaitForShutdownAsync(CancellationToken.None);
            return ExitCodes.Success;
        });
        return command;
    }
}
