using System.CommandLine;
using PostalPeak.Audit;
using PostalPeak.Ingestion;
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
            var store = context.Get<UploadStore>();
            var pipeline = context.Get<UploadPipeline>();
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
                // The command waits for the result, so it runs the pipeline here rather than through the job queue.
                await pipeline.RunAsync(upload.Id, cancellationToken);
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
}
