using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using PostalPeak.Accounts;
using PostalPeak.Audit;
using PostalPeak.Shell;

namespace PostalPeak.Incidents;

/// <summary>Incident reports ("báo cáo đột xuất"): the API, carrier-scoped; the pages are /incidents and /incidents/{id}.</summary>
public static class IncidentEndpoints
{
    public sealed record StateBody(string? State, string? Note);

    /// <summary>An update's JSON body; as multipart, the field <c>text</c> and one file <c>file</c>.</summary>
    public sealed record UpdateBody(string? Text);

    /// <summary>One row of the CSV list: the incident's fields in the JSON's order, the unit codes joined.</summary>
    public sealed record IncidentRow(long Id, string CarrierCode, string Type, string Severity, DateTime StartedAt, string UnitCodes, int? ParcelsAffected,
        string Description, string? Actions, string Contact, string State, string ReportedBy, DateTime ReportedAt, DateTime UpdatedAt);

    public static IHostApplicationBuilder AddIncidents(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IncidentsOptions>().BindConfiguration(IncidentsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IncidentStore>();
        builder.Services.AddTransient<IncidentReminderJob>();
        return builder;
    }

    public static WebApplication MapIncidents(this WebApplication app)
    {
        var incidents = app.MapGroup("/api/v1/incidents").WithTags("Incidents").RequireCarrierAccess();

        // Tokens carry no anti-forgery token; Shell checks a cookie caller's header for every API change.
        incidents.MapPost("/", async (string? carrier, HttpContext http, CarrierScope scope, IncidentStore store) =>
        {
            var carrierCode = scope.Filter(carrier)
                ?? throw new InputException("incident_carrier_required", "Say which carrier the incident is for: ?carrier=CODE.") { Parameter = "carrier" };
            var (json, files) = await ReadAsync(http, store, "incident");
            var incident = await store.ReportAsync(carrierCode, IncidentInput.Read(json ?? ""), files, Actor.From(http), http.RequestAborted);
            return Results.Created($"/api/v1/incidents/{incident.Id}", incident);
        }).Accepts<IncidentInput>("application/json", "multipart/form-data").Produces<Incident>(StatusCodes.Status201Created).DisableAntiforgery();

        incidents.MapGet("/", async Task<IResult> (int? season, string? carrier, string? state, string? from, string? to, string? format, CarrierScope scope,
            IncidentStore store, CancellationToken cancellationToken) =>
        {
            var csv = CsvResults.WantsCsv(format);
            var list = await store.ListAsync(new IncidentFilter(scope.Filter(carrier), string.IsNullOrWhiteSpace(state) ? null : state.Trim(), season,
                AuditLog.ParseDay(from, "from"), AuditLog.ParseDay(to, "to")), cancellationToken);
            return csv
                ? CsvResults.Write(list.Select(i => new IncidentRow(i.Id, i.CarrierCode, i.Type, i.Severity, i.StartedAt, string.Join(' ', i.UnitCodes),
                    i.ParcelsAffected, i.Description, i.Actions, i.Contact, i.State, i.ReportedBy, i.ReportedAt, i.UpdatedAt)).ToList(), "incidents.csv")
                : Results.Ok(list);
        });

        // Another carrier's incident and a missing one answer alike: 404 not_found.
        incidents.MapGet("/{id:long}", (long id, CarrierScope scope, IncidentStore store, CancellationToken cancellationToken) =>
            store.GetForAsync(id, scope, cancellationToken));

        incidents.MapGet("/{id:long}/attachments/{number:int}", async (long id, int number, CarrierScope scope, IncidentStore store, HttpContext http) =>
        {
            var file = await store.AttachmentForAsync(id, number, scope, http.RequestAborted);
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.File(file.Content, file.ContentType, file.FileName);
        });

        incidents.MapPost("/{id:long}/updates", async (long id, HttpContext http, CarrierScope scope, IncidentStore store) =>
        {
            string? text;
            IReadOnlyList<IncomingFile> files;
            if (http.Request.HasFormContentType)
            {
                (text, files) = await ReadAsync(http, store, "text");
            }
            else
            {
                var (json, _) = await ReadAsync(http, store, "text");
                text = ReadText(json);
                files = [];
            }
            if (files.Count > 1)
                throw new InputException("incident_too_many_files", "An update carries at most one file.") { Args = [1] };
            var update = await store.AddUpdateAsync(id, scope, text, files.Count == 0 ? null : files[0], Actor.From(http), http.RequestAborted);
            return Results.Created($"/api/v1/incidents/{id}", update);
        }).Accepts<UpdateBody>("application/json", "multipart/form-data").Produces<IncidentUpdate>(StatusCodes.Status201Created).DisableAntiforgery();

        incidents.MapPost("/{id:long}/state", async (long id, StateBody body, HttpContext http, CarrierScope scope, IncidentStore store) =>
            await store.ChangeStateAsync(id, scope, body.State, body.Note, Actor.From(http), http.RequestAborted)).DisableAntiforgery();
        return app;
    }

    /// <summary>The text of a JSON body <c>{"text": "…"}</c>.</summary>
    private static string? ReadText(string? json)
    {
        try
        {
            using var document = JsonDocument.Parse(json ?? "");
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("text", out var text)
                   && text.ValueKind == JsonValueKind.String ? text.GetString() : null;
        }
        catch (JsonException)
        {
            throw new InputException("incident_invalid_json", "The body is not a JSON object.");
        }
    }

    /// <summary>
    /// A JSON body, or a multipart form whose field <paramref name="field"/> (text or file) holds the JSON or text and whose
    /// other files are the attachments. The size of the whole request is bounded by the attachment limit.
    /// </summary>
    private static async Task<(string? Text, IReadOnlyList<IncomingFile> Files)> ReadAsync(HttpContext http, IncidentStore store, string field)
    {
        var options = store.Options;
        var limit = options.MaxAttachmentBytes * options.MaxAttachmentsPerRequest + 256 * 1024;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limit;
        if (!http.Request.HasFormContentType)
        {
            using var reader = new StreamReader(http.Request.Body);
            return (await reader.ReadToEndAsync(http.RequestAborted), []);
        }
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        string? text = form.TryGetValue(field, out var value) ? value.ToString() : null;
        var files = new List<IncomingFile>();
        foreach (var file in form.Files)
        {
            if (file.Length > options.MaxAttachmentBytes)
                throw AttachmentSniffer.TooLarge(file.FileName, options.MaxAttachmentBytes);
            using var content = new MemoryStream();
            await file.CopyToAsync(content, http.RequestAborted);
            if (file.Name == field)
                text = System.Text.Encoding.UTF8.GetString(content.ToArray());
            else if (file.Length > 0 || !string.IsNullOrEmpty(file.FileName))
                files.Add(new IncomingFile(file.FileName, file.ContentType, content.ToArray()));
        }
        return (text, files);
    }
}
