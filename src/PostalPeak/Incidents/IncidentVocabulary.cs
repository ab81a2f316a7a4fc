namespace PostalPeak.Incidents;

/// <summary>The fixed words of an incident: its types, severities, states and which state may follow which.</summary>
public static class IncidentVocabulary
{
    public static readonly string[] Types =
        ["weather", "traffic_accident", "fire", "outage", "prohibited_goods", "theft", "staff_shortage", "overload", "other"];

    public static readonly string[] Severities = ["info", "warning", "critical"];

    public static readonly string[] States = ["reported", "acknowledged", "handling", "resolved", "closed"];

    /// <summary>The one state each state may move to, and whether only the department may make that move.</summary>
    private static readonly Dictionary<string, (string Next, bool DepartmentOnly)> Moves = new(StringComparer.Ordinal)
    {
        ["reported"] = ("acknowledged", true),
        ["acknowledged"] = ("handling", false),
        ["handling"] = ("resolved", false),
        ["resolved"] = ("closed", true),
    };

    public static bool IsMove(string from, string to) => Moves.TryGetValue(from, out var move) && move.Next == to;

    public static bool DepartmentOnly(string to) => Moves.Values.Any(m => m.Next == to && m.DepartmentOnly);

    /// <summary>The states the reader may move an incident in <paramref name="state"/> to: none, or the next one.</summary>
    public static IReadOnlyList<string> NextFor(string state, bool department) =>
        Moves.TryGetValue(state, out var move) && (department || !move.DepartmentOnly) ? [move.Next] : [];

    public static bool IsOpen(string state) => state is not ("resolved" or "closed");
}
