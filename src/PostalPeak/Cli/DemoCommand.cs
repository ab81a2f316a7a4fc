using System.CommandLine;
using System.Globalization;
using PostalPeak.Demo;
using PostalPeak.Storage;

namespace PostalPeak.Cli;

/// <summary>
/// `demo`: the product with the sample seasons loaded, in its own private database, so that a newcomer sees
/// real-looking figures and firing alerts within minutes of cloning.
/// </summary>
internal static class DemoCommand
{
    /// <summary>The carrier whose manager account the demo creates: the one with the backlog spiral (else the first).</summary>
    public const string ManagerCarrier = "HOATOC";

    /// <summary>The last day of the latest sample season loaded without --replay, from its Tết.</summary>
    public const int OpeningDayOffset = -4;

    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = $"Address(es) to listen on, separated by ';'. Default: the 'urls' setting, else {ServeCommand.DefaultUrl}." };
        var replay = new Option<bool>("--replay") { Description = "Load the earlier seasons, then feed the latest one a day at a time while serving." };
        var seconds = new Option<int>("--replay-seconds") { Description = "Seconds between two replayed days (1–600).", DefaultValueFactory = _ => 5 };
        seconds.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 600)
                result.AddError("--replay-seconds must be between 1 and 600.");
        });
        var reset = new Option<bool>("--reset") { Description = "Delete the private demo database first and load everything again." };
        var command = new Command("demo", "Run PostalPeak with the sample seasons loaded (a separate private database unless a connection string is set), "
            + "printing the URL and one account per role.") { urls, replay, seconds, reset };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
            var folder = SampleManifestEntry.FindFolder(builder.Configuration["Demo:SampleDirectory"])
                ?? throw new Shell.InputException("samples_not_found", "The sample seasons were not found (sample-seasons/ beside the executable, or sample-data/seasons "
                    + "in the source tree); set Demo__SampleDirectory.");
            var manifest = SampleManifestEntry.Read(folder);
            var latest = manifest.Max(e => e.Season);
            // Without --replay the latest season stops four days before Tết, in the run-up, when the scripted backlog
            // spiral, complaint surge and missing report are all under way; --replay feeds what is not loaded yet.
            var openingDay = Calendar.LunarCalendar.Tet(latest).AddDays(OpeningDayOffset);
            var live = manifest.Where(e => e.Season == latest && (parse.GetValue(replay) || e.ReportDate > openingDay)).ToList();
            DemoSettings.Apply(builder.Configuration, parse.GetValue(reset));
            builder.WebHost.UseUrls(parse.GetValue(urls) ?? builder.Configuration["urls"] ?? ServeCommand.DefaultUrl);

            using var loggers = LoggerFactory.Create(logging => logging
                .AddConfiguration(builder.Configuration.GetSection("Logging"))
                .AddSimpleConsole(console => console.SingleLine = true));
            await output.WriteLineAsync("Starting the demo database…");
            await using var database = await DatabaseServer.PrepareAsync(builder.Configuration, loggers, cancellationToken);
            await using var app = Program.BuildWebApp(builder, database);
            // The checks app.StartAsync would run, before minutes of loading rather than after.
            app.Services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();

            var loader = ActivatorUtilities.CreateInstance<DemoLoader>(app.Services);
            var sampleCarriers = await loader.EnsureCarriersAsync(folder);
            var toLoad = await loader.MissingAsync(folder, manifest.Where(e => !live.Contains(e)), cancellationToken);
            var toReplay = parse.GetValue(replay) ? await loader.MissingAsync(folder, live, cancellationToken) : [];
            if (parse.GetValue(replay) && toReplay.Count == 0)
                await output.WriteLineAsync($"The {latest} season is loaded already, so there is nothing to replay; run 'demo --reset --replay' to watch it again.");
            await output.WriteLineAsync(toLoad.Count == 0
                ? "The sample seasons are loaded already."
                : $"Loading {toLoad.Count:N0} sample files of {manifest.Select(e => e.CarrierCode).Distinct().Count()} carriers through the ingestion jobs…");
            var started = DateTime.UtcNow;
            var lastShown = -1;
            await loader.LoadAsync(folder, toLoad, new SynchronousProgress<DemoProgress>(p =>
            {
                // One line per tenth: enough to see it move without flooding the terminal.
                var tenth = p.Done * 10 / p.Total;
                if (tenth == lastShown)
                    return;
                lastShown = tenth;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {p.Done,5:N0}/{p.Total:N0} files ({100 * p.Done / p.Total,3}%), season {p.Entry.Season}, {(DateTime.UtcNow - started).TotalSeconds:0} s"));
            }), cancellationToken);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Indicators computed and alerts evaluated in {(DateTime.UtcNow - started).TotalSeconds:0} s."));
            var rostersLoaded = await loader.LoadRostersAsync(folder, cancellationToken);
            var incidentSteps = await ActivatorUtilities.CreateInstance<DemoIncidents>(app.Services).RecordAsync(manifest, cancellationToken);
            await output.WriteLineAsync(rostersLoaded == 0 && incidentSteps == 0
                ? "The duty rosters and the scripted incident reports are loaded already."
                : $"Duty rosters submitted: {rostersLoaded}; incident reports and timeline entries recorded: {incidentSteps}.");
            var accounts = await loader.ResetAccountsAsync(sampleCarriers.Contains(ManagerCarrier) ? ManagerCarrier : sampleCarriers[0]);

            await app.StartAsync(cancellationToken);
            await output.WriteLineAsync();
            await output.WriteLineAsync("Sign in with one of these accounts (new passwords at every start):");
            foreach (var account in accounts)
                await output.WriteLineAsync($"  {account.Role,-15} {account.UserName,-10} {account.Password}");
            await output.WriteLineAsync("E-mails go to the local mailbox page (/admin/mailbox) unless Notifications__Smtp__Host is set. Ctrl+C stops the demo.");
            // The address last, where the eye lands.
            foreach (var address in app.Urls)
                await output.WriteLineAsync($"PostalPeak demo is running at {address}  (database: {database.Redacted()}{(database.Embedded is null ? "" : ", private demo")})");

            var replaying = toReplay.Count > 0
                ? ActivatorUtilities.CreateInstance<DemoReplay>(app.Services)
                    .RunAsync(folder, toReplay, TimeSpan.FromSeconds(parse.GetValue(seconds)), output, app.Lifetime.ApplicationStopping)
                : Task.CompletedTask;
            await app.WaitForShutdownAsync(CancellationToken.None);
            try
            {
                await replaying;
            }
            catch (OperationCanceledException)
            {
                // Stopped half-way: the days fed so far stay, and the next 'demo --replay' goes on from there.
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Progress reported on the loading thread itself, so the lines come out in order.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        private readonly Lock _gate = new();

        public void Report(T value)
        {
            lock (_gate)
                report(value);
        }
    }
}
