using System.Globalization;
using System.Text.Json;
using PostalPeak.Shell;

namespace PostalPeak.Incidents;

/// <summary>An incident as a carrier reports it, before it is checked: the JSON fields of docs/guide (snake_case).</summary>
public sealed record IncidentInput(string? Type, string? Severity, string? StartedAt, string[]? UnitCodes, int? ParcelsAffected,
    string? Description, string? Actions, string? Contact)
{
    public const int MaxTextLength = 4000;
    public const int MaxContactLength = 300;

    /// <summary>
    /// Reads the JSON body field by field, so a wrong field is named in the answer (a number where text belongs, a
    /// list of units given as one string) instead of a bare "bad request".
    /// </summary>
    public static IncidentInput Read(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            throw new InputException("incident_invalid_json", "The incident is not a JSON object.");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new InputException("incident_invalid_json", "The incident is not a JSON object.");
            return new IncidentInput(Text(root, "type"), Text(root, "severity"), Text(root, "started_at"), Codes(root, "unit_codes"),
                Number(root, "parcels_affected"), Text(root, "description"), Text(root, "actions"), Text(root, "contact"));
        }
    }

    private static InputException Invalid(string field) =>
        new("incident_invalid_field", $"The field '{field}' has the wrong kind of value.") { Args = [field], Parameter = field };

    private static JsonElement? Field(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string? Text(JsonElement root, string name) => Field(root, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        _ => throw Invalid(name),
    };

    private static int? Number(JsonElement root, string name) => Field(root, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } value when value.TryGetInt32(out var number) => number,
        _ => throw Invalid(name),
    };

    private static string[]? Codes(JsonElement root, string name) => Field(root, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Array } value when value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
            => value.EnumerateArray().Select(e => e.GetString()!).ToArray(),
        _ => throw Invalid(name),
    };

    /// <summary>
    /// The start as a UTC instant: ISO 8601 with its offset, or a wall-clock time in Vietnam time (what the page's
    /// date-time field sends). A start more than an hour ahead is a mistake, not a forecast.
    /// </summary>
    public DateTime CheckStartedAt(string zoneId, DateTime utcNow)
    {
        if (string.IsNullOrWhiteSpace(StartedAt))
            throw new InputException("incident_started_at_required", "started_at is required: when the incident started, ISO 8601 with its offset.")
                { Parameter = "started_at" };
        if (!DateTime.TryParse(StartedAt.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
            || parsed.ToUtcFrom(zoneId) is not { } utc)
            throw new InputException("incident_invalid_started_at", $"started_at '{StartedAt}' is not a date and time (ISO 8601, e.g. 2026-02-10T08:30:00+07:00).")
                { Args = [StartedAt], Parameter = "started_at" };
        if (utc > utcNow.AddHours(1))
            throw new InputException("incident_started_in_future", $"started_at '{StartedAt}' is in the future.") { Args = [StartedAt], Parameter = "started_at" };
        return utc;
    }
}
