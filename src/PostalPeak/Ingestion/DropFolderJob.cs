using System.Globalization;
using Microsoft.Extensions.Options;
using PostalPeak.Audit;

namespace PostalPeak.Ingestion;

/// <summary>
/// Collects <c>{inbox}/{CARRIER}/*.csv</c>: each settled file is stored and processed like any upload, then
/// moved to <c>processed/</c> or to <c>rejected/</c> with a <c>.errors.csv</c> beside it. A folder named after
/// no known carrier is reported (log and a note in the folder), never silently ignored.
/// </summary>
public sealed class DropFolderJob(IOptions<IngestionOptions> options, UploadStore store, UploadProcessor processor,
    Indicators.IndicatorRefresh indicators, Alerts.AlertEvaluator alerts, Carriers.Carriers carriers, TimeProvider clock, ILogger<DropFolderJob> logger)
{
    public const string Id = "ingestion.drop-folder";
    public const string UnknownCarrierNote = "UNKNOWN-CARRIER.txt";

    public sealed record Outcome(string File, string Carrier, long? UploadId, string Status);

    public async Task<IReadOnlyList<Outcome>> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.DropFolder;
        var outcomes = new List<Outcome>();
        if (string.IsNullOrWhiteSpace(settings.Inbox) || !Directory.Exists(settings.Inbox))
            return outcomes;
        foreach (var folder in Directory.GetDirectories(settings.Inbox).Order(StringComparer.Ordinal))
        {
            var carrierCode = Path.GetFileName(folder).ToUpperInvariant();
            var files = Directory.GetFiles(folder).Where(f => IsCandidate(f, settings.SettleSeconds)).Order(StringComparer.Ordinal).ToList();
            if (await carriers.FindAsync(carrierCode) is null)
            {
                if (files.Count > 0)
                {
                    logger.LogWarning("Drop folder {Folder} is named after no known carrier; its {Count} file(s) wait there", folder, files.Count);
                    await File.WriteAllTextAsync(Path.Combine(folder, UnknownCarrierNote),
                        $"Không có doanh nghiệp mã '{carrierCode}'. Tên thư mục phải là mã doanh nghiệp trong PostalPeak.\n"
                        + $"No carrier has the code '{carrierCode}'. The folder must be named after a carrier code known to PostalPeak.\n", cancellationToken);
                    outcomes.AddRange(files.Select(f => new Outcome(Path.GetFileName(f), carrierCode, null, "unknown_carrier")));
                }
                continue;
            }
            foreach (var file in files)
                outcomes.Add(await CollectAsync(folder, file, carrierCode, cancellationToken));
        }
        return outcomes;
    }

    private bool IsCandidate(string path, int settleSeconds)
    {
        var name = Path.GetFileName(path);
        if (!name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || name.StartsWith('.') || name.StartsWith("~$", StringComparison.Ordinal))
            return false;
        // Still being written (copied over the network, saved by Excel): wait for the next run.
        return File.GetLastWriteTimeUtc(path) <= clock.GetUtcNow().UtcDateTime.AddSeconds(-settleSeconds);
    }

    private async Task<Outcome> CollectAsync(string folder, string file, string carrierCode, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(file);
        var actor = new Actor($"folder:{carrierCode}", null, null, null);
        Upload upload;
        try
        {
            await using var content = File.OpenRead(file);
            if (content.Length > store.MaxBytes)
                throw store.TooLarge(content.Length);
            upload = await store.ReceiveAsync(content, name, "folder", carrierCode, actor, "vi", cancellationToken);
        }
        catch (Shell.InputException e)
        {
            var rejectedDirectory = Directory.CreateDirectory(Path.Combine(folder, "rejected")).FullName;
            var target = Unique(Path.Combine(rejectedDirectory, name));
            File.Move(file, target);
            await File.WriteAllTextAsync(target + ".errors.csv", $"line,column,severity,code,message\r\n,,error,{e.Code},\"{e.Message.Replace("\"", "\"\"", StringComparison.Ordinal)}\"\r\n", cancellationToken);
            return new Outcome(name, carrierCode, null, "rejected");
        }

        var status = await processor.ProcessAsync(upload.Id, cancellationToken);
        if (status == "accepted")
        {
            await indicators.RefreshAfterUploadAsync(upload.Id, cancellationToken);
            await alerts.EvaluateAfterUploadAsync(upload.Id, cancellationToken);
        }
        var destination = Directory.CreateDirectory(Path.Combine(folder, status == "rejected" ? "rejected" : "processed")).FullName;
        var moved = Unique(Path.Combine(destination, name));
        File.Move(file, moved);
        if (status == "rejected")
        {
            await using var report = File.Create(moved + ".errors.csv");
            await ErrorReport.WriteAsync(report, await store.IssuesAsync(upload.Id), upload.Language, cancellationToken);
        }
        logger.LogInformation("Drop folder: {File} of {Carrier} is upload {Upload}, {Status}", name, carrierCode, upload.Id, status);
        return new Outcome(name, carrierCode, upload.Id, status);
    }

    /// <summary>The same name sent on two days must not overwrite the first: add a time stamp when taken.</summary>
    private string Unique(string path)
    {
        if (!File.Exists(path))
            return path;
        var stamp = clock.GetUtcNow().ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture);
        return Path.Combine(Path.GetDirectoryName(path)!, $"{Path.GetFileNameWithoutExtension(path)}.{stamp}{Path.GetExtension(path)}");
    }
}
