using System.CommandLine;
using System.CommandLine.Invocation;
using PostalPeak.Shell;
using PostalPeak.Storage;

namespace PostalPeak.Cli;

/// <summary>The commands of the one executable. `serve` is the default; see the README for exit codes.</summary>
public static class Commands
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("PostalPeak: daily postal reports, indicators and alerts through the Tết peak.");
        var serve = ServeCommand.Create();
        root.Subcommands.Add(serve);
        root.Subcommands.Add(MigrateCommand.Create());
        root.Subcommands.Add(CarrierCommands.Create());
        root.Subcommands.Add(UserCommands.Create());
        root.Subcommands.Add(TokenCommands.Create());
        root.Subcommands.Add(IngestCommand.Create());
        root.Subcommands.Add(TetCommand.Create());
        root.Subcommands.Add(RecomputeCommand.Create());
        root.Subcommands.Add(SampleDataCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(HealthCommand.Create());
        // No command at all means serve.
        var parse = root.Parse(args.Length == 0 ? ["serve"] : args);

        var invocation = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        if (parse.Action is ParseErrorAction)
        {
            foreach (var problem in parse.Errors)
                await error.WriteLineAsync(problem.Message);
            await error.WriteLineAsync("Run 'PostalPeak --help' (or 'PostalPeak COMMAND --help') for usage.");
            return ExitCodes.Usage;
        }
        try
        {
            return await parse.InvokeAsync(invocation);
        }
        catch (EmbeddedPostgresException e)
        {
            await error.WriteLineAsync(e.Message);
            return ExitCodes.DatabaseUnavailable;
        }
        catch (InputException e)
        {
            await error.WriteLineAsync($"{e.Message} ({e.Code})");
            return ExitCodes.InvalidInput;
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException e)
        {
            // Checked at start by every command as by serve: the message names the setting, no stack trace.
            await error.WriteLineAsync($"PostalPeak cannot start with these settings: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Failure;
        }
#pragma warning disable CA1031 // the last line of defence: a message and an exit code, not a crash dump
        catch (Exception e)
#pragma warning restore CA1031
        {
            await error.WriteLineAsync($"PostalPeak failed: {e.Message}");
            await error.WriteLineAsync(e.ToString());
            return ExitCodes.Failure;
        }
    }

    internal static Option<bool> JsonOption() => new("--json") { Description = "Print the result as JSON." };
}
