using System.Globalization;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using PostalPeak.Audit;
using PostalPeak.Shell;

namespace PostalPeak.Ingestion;

/// <summary>
/// Collects <c>{inbox}/{CARRIER}/*.csv</c>: each settled file is claimed (moved into <c>.processing/</c>), stored
/// and processed like any upload, then moved to <c>processed/</c> or to <c>rejected/</c> with a <c>.errors.csv</c>
/// beside it. The inbox is written by carriers and trusted with nothing (see <see cref="InboxDirectory"/>): links,
/// FIFOs, devices and hard links are refused into <c>rejected/</c> with the reason, and a folder named after no
/// known carrier, or whose processed/ or rejected/ is not a real folder, is reported (log and a note), never
/// silently ignored. One run at a time per inbox, across every instance.
/// </summary>
public sealed class DropFolderJob(IOptions<IngestionOptions> options, NpgsqlDataSource db, UploadStore store, UploadProcessor processor,
    Indicators.IndicatorRefresh indicators, Alerts.AlertEvaluator alerts, Carriers.Carriers carriers, TimeProvider clock, ILogger<DropFolderJob> logger)
{
    public const string Id = "ingestion.drop-folder";
    public const string UnknownCarrierNote = "UNKNOWN-CARRIER.txt";
    public const string RefusedNote = "REFUSED.txt";
    public const string ClaimFolder = ".processing";

    public sealed record Outcome(string File, string Carrier, long? UploadId, string Status);

    private static readonly Dictionary<string, (string Vi, string En)> Reasons = new()
    {
        ["link"] = ("là liên kết tượng trưng (symlink); chỉ nhận tệp thật", "is a symbolic link; only real files are read"),
        ["hard_link"] = ("là liên kết cứng tới một tệp khác; hãy chép tệp vào thư mục", "is a hard link to another file; copy the file into the folder instead"),
        ["special"] = ("không phải tệp thường (FIFO, socket hoặc thiết bị)", "is not a regular file (a FIFO, socket or device)"),
        ["directory"] = ("là thư mục, không phải tệp", "is a folder, not a file"),
        ["unreadable"] = ("không đọc được", "cannot be read"),
    };

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
        if (!await connection.ExecuteScalarAsync<bool>("select pg_try_advisory_lock(20261204, hashtext(@inboxPath))", new { inboxPath }))
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
            await connection.ExecuteAsync("select pg_advisory_unlock(20261204, hashtext(@inboxPath))", new { inboxPath });
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
                $"{f}: {Reasons["link"].Vi} / {Reasons["link"].En}\n")), replace: true);
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
                    $"Không có doanh nghiệp mã '{code}'. Tên thư mục phải là mã doanh nghiệp trong PostalPeak.\n"
                    + $"No carrier has the code '{code}'. The folder must be named after a carrier code known to PostalPeak.\n", replace: true);
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
                "Các thư mục processed/, rejected/ và .processing/ phải là thư mục thật (không phải liên kết). Chưa tệp nào được đọc cho tới khi sửa.\n"
                + "processed/, rejected/ and .processing/ must be real folders (not links). No file is read until that is fixed.\n", replace: true);
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
            var (vi, en) = Reasons.GetValueOrDefault(refusal ?? "unreadable", Reasons["unreadable"]);
            var target = MoveOut(claimed, rejected, name);
            rejected.WriteText(target + ".errors.csv", ErrorLine("refused_entry", $"Tệp {vi}. / The file {en}."), replace: false);
            return new Outcome(name, carrierCode, null, "refused");
        }
        try
        {
            await using (content)
            {
                if (info.Size > store.MaxBytes)
                    throw store.TooLarge(info.Size);
                upload = await store.ReceiveAsync(content, name, "folder", carrierCode, actor, "vi", cancellationToken);
            }
        }
        catch (InputException e)
        {
            var target = MoveOut(claimed, rejected, name);
            rejected.WriteText(target + ".errors.csv", ErrorLine(e.Code, e.Message), replace: false);
            return new Outcome(name, carrierCode, null, "rejected");
        }

        var status = await processor.ProcessAsync(upload.Id, cancellationToken);
        if (status == "accepted")
        {
            await indicators.RefreshAfterUploadAsync(upload.Id, cancellationToken);
            await alerts.EvaluateAfterUploadAsync(upload.Id, cancellationToken);
        }
        var moved = MoveOut(claimed, status is "rejected" or "failed" ? rejected : processed, name);
        if (status is "rejected" or "failed")
        {
            using var report = new MemoryStream();
            await ErrorReport.WriteAsync(report, await store.IssuesAsync(upload.Id), upload.Language, cancellationToken);
            rejected.WriteText(moved + ".errors.csv", System.Text.Encoding.UTF8.GetString(report.ToArray()), replace: false);
        }
        logger.LogInformation("Drop folder: {File} of {Carrier} is upload {Upload}, {Status}", LogText.Printable(name), carrierCode, upload.Id, status);
        return new Outcome(name, carrierCode, upload.Id, status);
    }

    private static string ErrorLine(string code, string message) =>
        $"line,column,severity,code,message\r\n,,error,{code},\"{message.Replace("\"", "\"\"", StringComparison.Ordinal)}\"\r\n";

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
