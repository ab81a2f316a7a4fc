using System.CommandLine;
using PostalPeak.Audit;
using PostalPeak.Ingestion;

namespace PostalPeak.Cli;

internal static class RecomputeCommand
{
    public static Command Create()
    {
        var json = Commands.JsonOption();
        var command = new Command("recompute", "Rebuild every carrier's indicators from the stored daily reports, then exit. "
            + "Safe while serve runs: each carrier is rebuilt in its own transaction.") { json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var context = await CommandContext.OpenAsync(parse.InvocationConfiguration.Output, cancellationToken);
            var results = await context.Get<UploadPipeline>().RecomputeAllAsync(cancellationToken);
            await using (var connection = await context.DataSource.OpenConnectionAsync(cancellationToken))
                await AuditLog.WriteAsync(connection, null, Actor.CommandLine(), "indicators.recompute", "indicators", null,
                    details: new { carriers = results.Count, rows = results.Sum(r => r.Rows) });
            var seconds = results.Sum(r => r.Elapsed.TotalSeconds);
            if (parse.GetValue(json))
                await context.WriteJsonAsync(new { carriers = results.Count, rows = results.Sum(r => r.Rows), seconds = Math.Round(seconds, 3) });
            else
                await context.Output.WriteLineAsync($"Recomputed the indicators of {results.Count} carriers: {results.Sum(r => r.Rows)} rows in {seconds:0.0} s.");
            return ExitCodes.Success;
        });
        return command;
    }
}
