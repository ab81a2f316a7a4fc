using System.Globalization;
using System.Text.Json;
using PostalPeak.Shell;

namespace PostalPeak.Duty;

/// <summary>
/// A roster entry of the JSON API as documented (snake_case, the CSV's canonical columns), for the OpenAPI document;
/// the body is read field by field by <see cref="RosterEntries.Read"/>.
/// </summary>
public sealed record RosterEntryInput(string Date, string? Shift, string LeaderName, string? LeaderPosition, string LeaderPhone, string OperatorName,
    string OperatorPhone, string Hotline, [property: System.Text.Json.Serialization.JsonPropertyName("hotline_24h")] bool? Hotline24h, string? UnitCode);

/// <summary>The JSON body of <c>PUT /api/v1/duty/roster/days</c>.</summary>
public sealed record RosterEntriesInput(IReadOnlyList<RosterEntryInput> Entries);

/// <summary>Reads the JSON roster into the fields the roster's one check takes, each entry numbered from 1 as it comes.</summary>
public static class RosterEntries
{
    private static readonly HashSet<string> Known = RosterFile.Columns.Append(RosterFile.CarrierCode).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// <c>{"entries": [...]}</c> (or the bare list). A field of the wrong kind (an object where text belongs) is
    /// refused with its place, <c>entries[3].leader_phone</c>; what the text says is for the check to judge.
    /// </summary>
    public static IReadOnlyList<(int Line, IReadOnlyDictionary<string, string?> Fields)> Read(byte[] json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            throw NotARoster();
        }
        using (document)
        {
            var list = document.RootElement switch
            {
                { ValueKind: JsonValueKind.Array } array => array,
                { ValueKind: JsonValueKind.Object } root when root.TryGetProperty("entries", out var entries) && entries.ValueKind == JsonValueKind.Array
                    => entries,
                _ => throw NotARoster(),
            };
            var read = new List<(int, IReadOnlyDictionary<string, string?>)>();
            var number = 0;
            foreach (var entry in list.EnumerateArray())
            {
                number++;
                if (entry.ValueKind != JsonValueKind.Object)
                    throw Invalid($"entries[{number}]");
                var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var property in entry.EnumerateObject().Where(p => Known.Contains(p.Name)))
                {
                    fields[property.Name] = property.Value.ValueKind switch
                    {
                        JsonValueKind.String => property.Value.GetString(),
                        JsonValueKind.Null => null,
                        JsonValueKind.True => "yes",
                        JsonValueKind.False => "no",
                        // A number is read as written, so 0912345678 sent unquoted is judged as the phone it meant to be.
                        JsonValueKind.Number => property.Value.GetRawText(),
                        _ => throw Invalid($"entries[{number}].{property.Name}"),
                    };
                }
                read.Add((number, fields));
            }
            return read;
        }
    }

    private static InputException NotARoster() =>
        new("roster_invalid_json", "The roster is not JSON of the form {\"entries\": [{\"date\": \"2027-02-06\", ...}]}.");

    private static InputException Invalid(string field) =>
        new("roster_invalid_field", string.Create(CultureInfo.InvariantCulture, $"'{field}' has the wrong kind of value.")) { Args = [field], Parameter = field };
}
