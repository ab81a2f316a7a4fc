using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Npgsql;
using PostalPeak.Accounts;
using PostalPeak.Shell;

namespace PostalPeak.Audit;

/// <summary>The audit log for administrators: the latest entries, filtered from the URL so a search can be linked.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class AuditPageModel(NpgsqlDataSource db, IStringLocalizer<Text> text) : PageModel
{
    public const int Limit = 200;

    [BindProperty(SupportsGet = true)] public string? Actor { get; set; }
    [BindProperty(SupportsGet = true)] public string? Action { get; set; }
    [BindProperty(SupportsGet = true)] public string? Entity { get; set; }
    // Text, not DateOnly: a date input sends yyyy-MM-dd, which vi-VN binding would misread.
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }

    public IReadOnlyList<AuditLog.Entry> Entries { get; private set; } = [];
    public string? Error { get; private set; }

    public async Task OnGetAsync()
    {
        try
        {
            Entries = await AuditLog.RecentAsync(db, Limit,
                new AuditLog.Filter(Actor, Action, Entity, AuditLog.ParseDay(From, "from"), AuditLog.ParseDay(To, "to")));
        }
        catch (InputException e)
        {
            Error = text.Explain(e);
            Response.StatusCode = e.Status;
        }
    }

    /// <summary>The details on one line without the spaces PostgreSQL puts in jsonb text; nothing for an empty object.</summary>
    public static string Compact(string details)
    {
        using var document = JsonDocument.Parse(details);
        return document.RootElement is { ValueKind: JsonValueKind.Object } root && !root.EnumerateObject().Any()
            ? ""
            : JsonSerializer.Serialize(document.RootElement, CompactJson);
    }

    private static readonly JsonSerializerOptions CompactJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
