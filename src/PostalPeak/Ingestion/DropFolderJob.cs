using System.Globalization;
using Dapper;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;
using PostalPeak.Audit;
using PostalPeak.Shell;
using PostalPeak.Storage;

namespace PostalPeak.Ingestion;

/// <summary>
/// Collects <c>{inbox}/{CARRIER}/*.csv</c>: each settled file is claimed (moved into <c>.processing/</c>), stored
/// and processed like any upload, then moved to <c>processed/</c> or to <c>rejected/</c> with a <c>.errors.csv</c>
/// beside it. The inbox is written by carriers and trusted with nothing (see <see cref="InboxDirectory"/>): links,
/// FIFOs, devices and hard links are refused into <c>rejected/</c> with the reason, and a folder named after no
/// known carrier, or whose processed/ or rejected/ is not a real folder, is reported (log and a note), never
/// silently ignored. One run at a time per inbox, across every instance.
/// </summary>
public sealed class DropFolderJob(IOptions<IngestionOptions> options, NpgsqlDataSource db, UploadStore store, UploadPipeline pipeline,
    Carriers.Carriers carriers, TimeProvider clock, ILogger<DropFolderJob> logger)
{
    public const string Id = "ingestion.drop-folder";
    public const string UnknownCarrierNote = "UNKNOWN-CARRIER.txt";
    public const string RefusedNote = "REFUSED.txt";
    public const string ClaimFolder = ".processing";

    public sealed record Outcome(string File, string Carrier, long? UploadId, string Status);

    /// <summary>What a carrier's folder is read in: its uploads are stored as Vietnamese, the language of their reports.</summary>
    private const string FolderLanguage = "vi";

    /// <summary>The refusals <see cref="InboxDirectory"/> gives, each with a text <c>DropFolder.Reason.{refusal}</c>.</summary>
    private static readonly HashSet<string> Refusals = ["link", "hard_link", "special", "directory", "unreadable"];

    private static readonly IStringLocalizer<Text> Vietnamese = Translations.In(Translations.Vietnamese);
    private static readonly IStringLocalizer<Text> English = Translations.In(Translations.English);

    /// <summary>
    /// A note in the inbox, or about an entry that never became an upload, has no reader whose language is known (whoever
    /// looks after the folder): it says it in Vietnamese, then English.
    /// </summary>
    private static string BothLanguages(string key, params object[] args) => $"{Vietnamese[key, args]} / {English[key, args]}";

    public async Task<IReadOnlyList<Outcome>> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.DropFolder;
        if (string.IsNullOrWhiteSpace(settings.Inbox) || !Directory.Exists(settings.Inbox))
            return [];
        if (!InboxDirectory.Supported)
        {
            logger.LogError("The drop folder needs Linux on x64 or arm64; {Inbox} is not read", settings.Inbox);
            return [];
        }
        var inboxPath = Path.GetFullPath(settings.Inbox);
        // A session lock, held on this connection for the whole run: a second run (a slow one overlapping the next
        // period, or another instance) finds it taken and leaves the inbox to the first.
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        if (!await connection.ExecuteScalarAsync<bool>(AdvisoryLocks.TryLockInbox, new { inboxPath }))
        {
            logger.LogInformation("Drop folder {Inbox}: another run is collecting it; this one ends", inboxPath);
            return [];
        }
        try
        {
            using var inbox = InboxDirectory.OpenRoot(inboxPath);
            return inbox is null ? [] : await CollectInboxAsync(inbox, settings.SettleSeconds, cancellationToken);
        }
        finally
        {
            await connection.ExecuteAsync(AdvisoryLocks.UnlockInbox, new { inboxPath });
        }
    }

    private async Task<List<Outcome>> CollectInboxAsync(InboxDirectory inbox, int settleSeconds, CancellationToken cancellationToken)
    {
        var outcomes = new List<Outcome>();
        var refusedFolders = new List<string>();
        foreach (var name in inbox.Names())
        {
            var entry = inbox.Stat(name);
            if (entry.Kind == EntryKind.Link)
            {
                // A link named after a carrier would read another carrier's folder, or any folder of the machine.
                refusedFolders.Add(name);
                logger.LogWarning("Drop folder: {Folder} in the inbox is a symbolic link and is not read", LogText.Printable(name));
                continue;
            }
            if (entry.Kind != EntryKind.Directory)
                continue;
            using var folder = inbox.OpenFolder(name, create: false);
            if (folder is not null)
                outcomes.AddRange(await CollectFolderAsync(folder, Carriers.CarrierCodes.Normalize(name), settleSeconds, cancellationToken));
        }
        if (refusedFolders.Count > 0)
            inbox.WriteText(RefusedNote, string.Concat(refusedFolders.Select(f =>
                $"{f}: {BothLanguages("DropFolder.Reason.link")}\n")), replace: true);
        return outcomes;
    }

    private async Task<List<Outcome>> CollectFolderAsync(InboxDirectory folder, string carrierCode, int settleSeconds, CancellationToken cancellationToken)
    {
        var outcomes = new List<Outcome>();
        var candidates = folder.Names().Where(IsCandidate).ToList();
        if (await carriers.FindAsync(carrierCode) is null)
        {
            if (candidates.Count > 0)
            {
                logger.LogWarning("Drop folder {Folder} is named after no known carrier; its {Count} file(s) wait there", LogText.Printable(folder.Path), candidates.Count);
                var code = LogText.Printable(carrierCode);
                folder.WriteText(UnknownCarrierNote,
                    $"{Vietnamese["DropFolder.UnknownCarrier", code]}\n{English["DropFolder.UnknownCarrier", code]}\n", replace: true);
                outcomes.AddRange(candidates.Select(f => new Outcome(f, carrierCode, null, "unknown_carrier")));
            }
            return outcomes;
        }
        if (candidates.Count == 0 && !folder.Names().Contains(ClaimFolder))
            return outcomes;

        using var claimed = folder.OpenFolder(ClaimFolder, create: true);
        using var processed = folder.OpenFolder("processed", create: true);
        using var rejected = folder.OpenFolder("rejected", create: true);
        if (claimed is null || processed is null || rejected is null)
        {
            logger.LogWarning("Drop folder {Folder}: processed/, rejected/ or {Claim}/ is not a real folder (a link or a file); nothing there is read until it is",
                LogText.Printable(folder.Path), ClaimFolder);
            folder.WriteText(RefusedNote,
                $"{Vietnamese["DropFolder.NotRealFolders"]}\n{English["DropFolder.NotRealFolders"]}\n", replace: true);
            return outcomes;
        }

        // Files a crashed run had claimed first; storing one twice is harmless (the second is a duplicate).
        foreach (var name in claimed.Names().Where(IsCandidate))
            outcomes.Add(await CollectAsync(claimed, processed, rejected, name, carrierCode, cancellationToken));

        var now = clock.GetUtcNow();
        foreach (var name in candidates)
        {
            var entry = folder.Stat(name);
            if (entry.Kind == EntryKind.Missing)
                continue;
            // Still being written (copied over the network, saved by Excel): wait for the next run.
            if (entry.Kind == EntryKind.File && entry.ModifiedAt > now.AddSeconds(-settleSeconds))
                continue;
            // Claimed by moving the name itself (a link moves as a link): no other run can take it after this.
            var claim = Unique(claimed, name);
            if (!folder.MoveTo(name, claimed, claim, out _))
                continue;
            outcomes.Add(await CollectAsync(claimed, processed, rejected, claim, carrierCode, cancellationToken));
        }
        return outcomes;
    }

    private static bool IsCandidate(string name) =>
        name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && !name.StartsWith('.') && !name.StartsWith("~$", StringComparison.Ordinal)
        && !name.EndsWith(".errors.csv", StringComparison.OrdinalIgnoreCase);

    private async Task<Outcome> CollectAsync(InboxDirectory claimed, InboxDirectory processed, InboxDirectory rejected, string name, string carrierCode,
        CancellationToken cancellationToken)
    {
        var actor = new Actor($"folder:{carrierCode}", null, null, null);
        Upload upload;
        FileStream? content = claimed.OpenReport(name, out var info, out var refusal);
        if (content is null)
        {
            logger.LogWarning("Drop folder: {File} of {Carrier} {Reason} and is not read", LogText.Printable(name), carrierCode, refusal);
            var reason = "DropFolder.Reason." + (refusal is not null && Refusals.Contains(refusal) ? refusal : "unreadable");
            var message = $"{Vietnamese["DropFolder.RefusedFile", Vietnamese[reason].Value]} / {English["DropFolder.RefusedFile", English[reason].Value]}";
            var target = MoveOut(claimed, rejected, name);
            rejected.WriteText(target + ".errors.csv", await ErrorReport.RefusalAsync("refused_entry", message, Vietnamese, cancellationToken), replace: false);
            return new Outcome(name, carrierCode, null, "refused");
        }
        try
        {
            await using (content)
            {
                if (info.Size > store.MaxBytes)
                    throw store.TooLarge(info.Size);
                upload = await store.ReceiveAsync(content, name, "folder", carrierCode, actor, FolderLanguage, cancellationToken);
            }
        }
        catch (InputException e)
        {
            var target = MoveOut(claimed, rejected, name);
            var text = Translations.In(FolderLanguage);
            rejected.WriteText(target + ".errors.csv", await ErrorReport.RefusalAsync(e.Code, text.Explain(e), text, cancellationToken), replace: false);
            return new Outcome(name, carrierCode, null, "rejected");
        }

        // Inline, not queued: the file is moved to processed/ or rejected/ by its result.
        var status = await pipeline.RunAsync(upload.Id, cancellationToken);
        var moved = MoveOut(claimed, status is "rejected" or "failed" ? rejected : processed, name);
        if (status is "rejected" or "failed")
        {
            using var report = new MemoryStream();
            await ErrorReport.WriteAsync(report, await store.IssuesAsync(upload.Id), Translations.In(upload.Language), cancellationToken);
            rejected.WriteText(moved + ".errors.csv", System.Text.Encoding.UTF8.GetString(report.ToArray()), replace: false);
        }
        logger.LogInformation("Drop folder: {File} of {Carrier} is upload {Upload}, {Status}", LogText.Printable(name), carrierCode, upload.Id, status);
        return new Outcome(name, carrierCode, upload.Id, status);
    }

    private string MoveOut(InboxDirectory from, InboxDirectory to, string name)
    {
        var target = Unique(to, name);
        for (var tries = 0; tries < 5 && !from.MoveTo(name, to, target, out var taken); tries++)
        {
            if (!taken)
                return target;
            target = Unique(to, name, tries + 1);
        }
        return target;
    }

    /// <summary>The same name sent on two days must not overwrite the first: add a time stamp when taken.</summary>
    private string Unique(InboxDirectory folder, string name, int attempt = 0)
    {
        if (attempt == 0 && folder.Stat(name).Kind == EntryKind.Missing)
            return name;
        var stamp = clock.GetUtcNow().ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture) + (attempt > 1 ? $"-{attempt}" : "");
        return $"{Path.GetFileNameWithoutExtension(name)}.{stamp}{Path.GetExtension(name)}";
    }
}
