using System.CommandLine;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PostalPeak.Alerts;
using PostalPeak.Audit;
using PostalPeak.Indicators;
using PostalPeak.Ingestion;
using PostalPeak.Jobs;
using PostalPeak.Shell;

namespace PostalPeak.Cli;

internal static class IngestCommand
{
    public static Command Create()
    {
        var carrier = new Option<string>("--carrier") { Description = "The carrier the files report for.", Required = true };
        var json = Commands.JsonOption();
        var language = new Option<string>("--language") { Description = "Language of the messages: vi (default) or en.", DefaultValueFactory = _ => "vi" };
        language.AcceptOnlyFromAmong("vi", "en");
        var files = new Argument<FileInfo[]>("FILE") { Description = "CSV files to ingest, in order.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("ingest", "Store and ingest daily report files for a carrier, printing each result. "
            + "Exit 0 when every file was accepted (or was a duplicate), 2 when any was rejected.") { carrier, json, language, files };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var context = await CommandContext.OpenAsync(parse.InvocationConfiguration.Output, cancellationToken);
            var ingestion = Options.Create(context.Configuration.GetSection(IngestionOptions.Section).Get<IngestionOptions>() ?? new IngestionOptions());
            var jobs = Options.Create(context.Configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions());
            var store = new UploadStore(context.DataSource, ingestion);
            var processor = new UploadProcessor(context.DataSource, TimeProvider.System, jobs, ingestion, NullLogger<UploadProcessor>.Instance);
            var indicators = new IndicatorRefresh(context.DataSource, NullLogger<IndicatorRefresh>.Instance);
            var alerts = AlertEvaluatorFor(context);
            var lang = parse.GetValue(language)!;
            var results = new List<object>();
            var anyRejected = false;
            foreach (var file in parse.GetValue(files)!)
            {
                if (!file.Exists)
                    throw new InputException("file_not_found", $"No file {file.FullName}.");
                Upload upload;
                try
                {
                    await using var content = file.OpenRead();
                    upload = await store.ReceiveAsync(content, file.Name, "cli", parse.GetValue(carrier)!, Actor.CommandLine(), lang, cancellationToken);
                }
                catch (InputException e) when (e.Code == IssueCodes.TooLarge)
                {
                    anyRejected = true;
                    if (parse.GetValue(json))
                        results.Add(new { file = file.FullName, upload = new { status = "rejected" }, issues = new[] { new { line = (int?)null, column = (string?)null, severity = "error", code = e.Code, message = e.Message } } });
                    else
                        await context.Output.WriteLineAsync(Translations.In(lang)["Cli.NotStored", file.Name, Translations.In(lang).Explain(e), e.Code]);
                    continue;
                }
                // The command waits for the result, so it processes here rather than through the job queue.
                if (await processor.ProcessAsync(upload.Id, cancellationToken) == "accepted")
                {
                    await indicators.RefreshAfterUploadAsync(upload.Id, cancellationToken);
                    await alerts.EvaluateAfterUploadAsync(upload.Id, cancellationToken);
                }
                upload = (await store.FindAsync(upload.Id))!;
                var issues = await store.IssuesAsync(upload.Id);
                anyRejected |= upload.Status is "rejected" or "failed";
                if (parse.GetValue(json))
                {
                    results.Add(new
                    {
                        file = file.FullName, upload,
                        issues = issues.Select(i => new { i.Line, column = i.ColumnName, i.Severity, i.Code, message = i.Message(lang) }),
                    });
                    continue;
                }
                var text = Translations.In(lang);
                await context.Output.WriteLineAsync(upload.Status switch
                {
                    "accepted" => text["Cli.Accepted", file.Name, upload.Id, upload.RowsTotal ?? 0, upload.RowsNew ?? 0, upload.RowsCorrected ?? 0, upload.RowsUnchanged ?? 0],
                    "duplicate" => text["Cli.Duplicate", file.Name, upload.DuplicateOf ?? 0],
                    _ => text["Cli.Rejected", file.Name, upload.Id, upload.ErrorCount],
                });
                foreach (var issue in issues)
                    await context.Output.WriteLineAsync($"  {issue.Severity} line {issue.Line?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} {issue.ColumnName} {issue.Code}: {issue.Message(lang)}");
            }
            if (parse.GetValue(json))
                await context.WriteJsonAsync(results);
            return anyRejected ? ExitCodes.Rejected : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// Alerts are evaluated here too; their messages wait in the outbox, where the serving process's sweep
    /// job picks them up (a command has no job server of its own).
    /// </summary>
    internal static AlertEvaluator AlertEvaluatorFor(CommandContext context)
    {
        var jobs = Options.Create(context.Configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions());
        var alerts = Options.Create(context.Configuration.GetSection(AlertsOptions.Section).Get<AlertsOptions>() ?? new AlertsOptions());
        var compliance = Options.Create(context.Configuration.GetSection(Compliance.ComplianceOptions.Section).Get<Compliance.ComplianceOptions>() ?? new Compliance.ComplianceOptions());
        var notifications = Options.Create(context.Configuration.GetSection(NotificationOptions.Section).Get<NotificationOptions>() ?? new NotificationOptions());
        return new AlertEvaluator(context.DataSource, new AlertNotifier(alerts, jobs, notifications, TimeProvider.System), TimeProvider.System, compliance, jobs, alerts,
            context.Loggers.CreateLogger<AlertEvaluator>());
    }
}
