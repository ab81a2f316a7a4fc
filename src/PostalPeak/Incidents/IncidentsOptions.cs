using System.ComponentModel.DataAnnotations;

namespace PostalPeak.Incidents;

/// <summary>Incident reports: section <c>Incidents</c>.</summary>
public sealed class IncidentsOptions
{
    public const string Section = "Incidents";

    /// <summary>An open incident with no update for this many hours is due a reminder to both sides.</summary>
    [Range(1, 720)]
    public int StaleHours { get; set; } = 12;

    /// <summary>The largest attachment kept, in bytes (a phone photo fits; a scanned report of many pages may not).</summary>
    [Range(1024, 50 * 1024 * 1024)]
    public long MaxAttachmentBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Files one report or update may carry.</summary>
    [Range(1, 20)]
    public int MaxAttachmentsPerRequest { get; set; } = 5;
}
