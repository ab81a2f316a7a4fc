using Microsoft.Extensions.Options;
using System.ComponentModel.DataAnnotations;

namespace PostalPeak.Ingestion;

public sealed class IngestionOptions
{
    public const string Section = "Ingestion";

    /// <summary>Largest file accepted, in bytes (default 50 MB). Larger uploads get 413.</summary>
    [Range(1024, 2L * 1024 * 1024 * 1024)]
    public long MaxUploadBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Uploads per minute one carrier may make, all its tokens and people together, before getting 429.</summary>
    [Range(1, 10_000)]
    public int UploadsPerMinute { get; set; } = 30;

    /// <summary>
    /// Uploads of one carrier that may wait in the queue at once (web and API); one more gets 429. One carrier's
    /// flood then delays another carrier's file by at most this many files, not by the whole flood.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxQueuedPerCarrier { get; set; } = 50;

    /// <summary>Its own attributes are checked at start too (ValidateDataAnnotations alone stops at this object).</summary>
    [ValidateObjectMembers]
    public DropFolderOptions DropFolder { get; set; } = new();
}

public sealed class DropFolderOptions
{
    /// <summary>The inbox: one sub-folder per carrier code. Empty: the drop folder is off.</summary>
    public string? Inbox { get; set; }

    public string Cron { get; set; } = "*/5 * * * *";

    /// <summary>A file modified more recently than this may still be being written, and waits for the next run.</summary>
    [Range(0, 3600)]
    public int SettleSeconds { get; set; } = 10;
}
