using System.Globalization;
using Microsoft.Extensions.Localization;
using PostalPeak.Shell;

namespace PostalPeak.Duty;

/// <summary>A carrier's roster compliance in one line of words (the reporting tables say it in text, never by colour alone).</summary>
public static class RosterGapText
{
    public static string Missing(IStringLocalizer<Text> t, RosterCompliance? roster) =>
        roster is not { Missing: > 0 } ? "" : t["Duty.Coverage.MissingDays", roster.Missing, Days(roster.MissingDays)];

    public static string Due(IStringLocalizer<Text> t, RosterCompliance? roster) =>
        roster is not { DueDays.Count: > 0 } ? "" : t["Duty.Coverage.DueDays", Days(roster.DueDays)];

    /// <summary>What the cell says when nothing is missing or due: the days covered so far, or that none is due yet.</summary>
    public static string Fine(IStringLocalizer<Text> t, RosterCompliance? roster) =>
        roster is { Required: > 0 } ? t["Duty.Coverage.Complete", roster.Covered, roster.Required] : t["Duty.Coverage.NoneDue"];

    /// <summary>All of it in one line: what is missing, then what is coming due, or else what is fine.</summary>
    public static string Line(IStringLocalizer<Text> t, RosterCompliance? roster) =>
        string.Join("; ", new[] { Missing(t, roster), Due(t, roster) }.Where(s => s.Length > 0)) is { Length: > 0 } line ? line : Fine(t, roster);

    private static string Days(IEnumerable<DateOnly> days) => string.Join(", ", days.Select(d => d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)));
}
