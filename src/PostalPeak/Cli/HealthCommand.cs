using System.CommandLine;

namespace PostalPeak.Cli;

/// <summary>
/// Asks a running PostalPeak for <c>/healthz</c>: a container health check without curl or wget. It reads the
/// configuration only to find the address and never opens the database itself: the app's answer already
/// includes the database's health.
/// </summary>
internal static class HealthCommand
{
    public const string HealthPath = "/healthz";

    // Well below the health-check interval of a container engine or service manager.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static Command Create()
    {
        var url = new Option<string?>("--url")
        {
            Description = $"Health address to ask. Default: {HealthPath} on the first address of the 'urls' setting, else {ServeCommand.DefaultUrl}{HealthPath}.",
        };
        var command = new Command("health", "Ask a running PostalPeak whether it is healthy; exit 0 when it answers 200.") { url };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var target = parse.GetValue(url) ?? DefaultUrl(CommandContext.LoadConfiguration());
            if (!Uri.TryCreate(target, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"'{target}' is not an http(s) address.");
                return ExitCodes.Usage;
            }
            var (healthy, message) = await AskAsync(address, cancellationToken);
            await (healthy ? parse.InvocationConfiguration.Output : parse.InvocationConfiguration.Error).WriteLineAsync(message);
            return healthy ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private static async Task<(bool Healthy, string Message)> AskAsync(Uri address, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = Timeout };
        try
        {
            using var response = await client.GetAsync(address, cancellationToken);
            var body = (await response.Content.ReadAsStringAsync(cancellationToken)).ReplaceLineEndings(" ").Trim();
            var said = body.Length is > 0 and <= 200 ? $": {body}" : "";
            return response.StatusCode == System.Net.HttpStatusCode.OK
                ? (true, $"{address} answered 200{said}")
                : (false, $"Unhealthy: {address} answered {(int)response.StatusCode} {response.ReasonPhrase}{said}");
        }
        catch (HttpRequestException e)
        {
            return (false, $"Unhealthy: {address} did not answer ({e.Message.ReplaceLineEndings(" ")})");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, $"Unhealthy: {address} did not answer within {Timeout.TotalSeconds:0} s");
        }
    }

    /// <summary>
    /// `/healthz` on the first address `serve` would listen on. A wildcard host (+, *, 0.0.0.0, [::]) is reached
    /// through the loopback address; port 0 cannot be known from outside, so it falls back like `serve` does.
    /// </summary>
    internal static string DefaultUrl(IConfiguration configuration)
    {
        // CommandContext's configuration has no ASPNETCORE_ prefix handling, unlike serve's web builder.
        var urls = configuration["urls"] ?? configuration["ASPNETCORE_URLS"] ?? ServeCommand.DefaultUrl;
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? ServeCommand.DefaultUrl;
        var wildcard = first.Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://[::]", "://[::1]", StringComparison.Ordinal);
        if (!Uri.TryCreate(wildcard, UriKind.Absolute, out var address) || address.Port == 0)
            address = new Uri(ServeCommand.DefaultUrl);
        return new UriBuilder(address) { Path = HealthPath, Query = "" }.Uri.ToString();
    }
}
