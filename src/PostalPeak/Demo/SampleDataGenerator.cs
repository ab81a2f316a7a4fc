using System.Globalization;
using PostalPeak.Calendar;
using PostalPeak.Units;

namespace PostalPeak.Demo;

/// <summary>
/// Generates, from a seed, the daily reports six fictional carriers in Thanh Hóa would upload for the
/// Tết seasons 2023 to 2026, with the scripted incidents of <see cref="ScriptedIncidents"/> and the latest
/// season's duty rosters (<see cref="SampleRosters"/>). The same
/// seed always gives the same bytes; the default seed's output is committed under sample-data/seasons.
/// </summary>
public static class SampleDataGenerator
{
    public const int DefaultSeed = 2027;
    public static readonly IReadOnlyList<int> Seasons = [2023, 2024, 2025, 2026];

    /// <summary>Parcels a day the six carriers together receive in the province on an ordinary day of 2023.</summary>
    private const double ProvinceBaseline2023 = 120_000;

    public static SampleData Generate(string referenceDirectory, int seed = DefaultSeed)
    {
        var units = SampleUnits.Load(referenceDirectory, seed);
        var incidents = new ScriptedIncidents(seed, units);
        var files = new List<SampleFile>();
        var provinceBaseline = ProvinceBaseline2023;
        foreach (var season in Seasons)
        {
            if (season > Seasons[0])
                provinceBaseline *= new SeededRandom(seed, $"growth:{season}").Between(1.10, 1.15);
            files.AddRange(SeasonFiles(seed, season, provinceBaseline, units, incidents));
        }
        var latest = Seasons[^1];
        return new SampleData(seed, files, incidents.All, SampleRosters.Generate(seed, latest, LunarCalendar.Tet(latest)));
    }

    private static List<SampleFile> SeasonFiles(int seed, int season, double provinceBaseline, SampleUnits.Lists units, ScriptedIncidents incidents)
    {
        var tet = LunarCalendar.Tet(season);
        var seasonUnits = tet.AddDays(SeasonShape.FirstOffset) >= ReferenceData.CommunesValidFrom ? units.Communes2025 : units.Districts2023;
        var byCarrierAndDay = new Dictionary<(string Carrier, int Offset), List<SampleRow>>();
        foreach (var carrier in SampleCarriers.All)
        {
            foreach (var unit in seasonUnits.OrderBy(u => u.Code, StringComparer.Ordinal))
            {
                // Carriers are stronger in some places than others.
                var presence = new SeededRandom(seed, $"presence:{carrier.Code}:{unit.Code}").Between(0.75, 1.25);
                var baseline = provinceBaseline * carrier.Share * unit.Weight * presence;
                foreach (var row in UnitSimulation.Run(seed, carrier, season, tet, unit.Code, baseline, incidents))
                {
                    if (!byCarrierAndDay.TryGetValue((carrier.Code, row.TetOffset), out var rows))
                        byCarrierAndDay[(carrier.Code, row.TetOffset)] = rows = [];
                    rows.Add(row);
                }
            }
        }

        if (season == incidents.Missing.Season)
        {
            var carrier = incidents.Missing.CarrierCode;
            CarryComplaints(byCarrierAndDay, carrier, ScriptedIncidents.MissingDayOffset, _ => true);
            CarryComplaints(byCarrierAndDay, carrier, ScriptedIncidents.MissingUnitOffset, unit => unit == incidents.Missing.UnitCodes[0]);
        }

        var files = new List<SampleFile>();
        SampleFile? pendingCorrection = null;
        for (var offset = SeasonShape.FirstOffset; offset <= SeasonShape.LastOffset; offset++)
        {
            foreach (var carrier in SampleCarriers.All)
            {
                var rows = byCarrierAndDay[(carrier.Code, offset)];
                var date = tet.AddDays(offset);
                var missing = incidents.Missing;
                if (season == missing.Season && carrier.Code == missing.CarrierCode)
                {
                    if (offset == ScriptedIncidents.MissingDayOffset)
                        continue;
                    if (offset == ScriptedIncidents.MissingUnitOffset)
                    {
                        files.Add(Daily(carrier, season, date, rows.Where(r => r.UnitCode != missing.UnitCodes[0]).ToList(),
                            $"{missing.Key}: unit {missing.UnitCodes[0]} left out"));
                        continue;
                    }
                }
                var correction = incidents.Correction;
                if (season == correction.Season && carrier.Code == correction.CarrierCode && offset == ScriptedIncidents.CorrectionOffset)
                {
                    var (wrong, victims) = DropDigits(seed, rows);
                    incidents.Correction = correction with { UnitCodes = victims };
                    var list = string.Join(' ', victims);
                    files.Add(Daily(carrier, season, date, wrong, $"{correction.Key}: delivered of {list} has a digit dropped"));
                    pendingCorrection = Make(carrier, season, date, rows, "correction", $"{correction.Key}: right figures for {list}");
                    continue;
                }
                files.Add(Daily(carrier, season, date, rows, Describe(rows)));
            }
            // The correction arrives after the following day's files, as a carrier notices the slip a day late.
            if (pendingCorrection is not null && offset == ScriptedIncidents.CorrectionOffset + 1)
            {
                files.Add(pendingCorrection);
                pendingCorrection = null;
            }
        }
        return files;
    }

    /// <summary>
    /// A carrier's complaint desk counts what arrived since its last report, so complaints of an unreported
    /// day appear in the next day's line; otherwise resolving them would look like closing complaints never opened.
    /// </summary>
    private static void CarryComplaints(Dictionary<(string Carrier, int Offset), List<SampleRow>> byCarrierAndDay, string carrier, int offset, Func<string, bool> unreported)
    {
        var skipped = byCarrierAndDay[(carrier, offset)].Where(r => unreported(r.UnitCode)).ToDictionary(r => r.UnitCode);
        var next = byCarrierAndDay[(carrier, offset + 1)];
        for (var i = 0; i < next.Count; i++)
        {
            if (skipped.TryGetValue(next[i].UnitCode, out var day))
            {
                next[i] = next[i] with
                {
                    ComplaintsReceived = next[i].ComplaintsReceived + day.ComplaintsReceived,
                    ComplaintsResolved = next[i].ComplaintsResolved + day.ComplaintsResolved,
                };
            }
        }
    }

    private static SampleFile Daily(SampleCarrier carrier, int season, DateOnly date, IReadOnlyList<SampleRow> rows, string incident) =>
        Make(carrier, season, date, rows, "daily", incident);

    private static SampleFile Make(SampleCarrier carrier, int season, DateOnly date, IReadOnlyList<SampleRow> rows, string kind, string incident)
    {
        var name = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + (kind == "correction" ? ".correction.csv" : ".csv");
        return new SampleFile($"{season}/{carrier.Code}/{name}", carrier.Code, season, date, kind, incident, rows, ReportFileWriter.Write(carrier, rows));
    }

    /// <summary>"backlog_spiral: 14758 15853; loss: 16000", from the incidents that shaped the rows.</summary>
    private static string Describe(IEnumerable<SampleRow> rows) =>
        string.Join("; ", rows.Where(r => r.Incident is not null)
            .GroupBy(r => r.Incident!)
            .Select(g => $"{g.Key}: {string.Join(' ', g.Select(r => r.UnitCode))}"));

    /// <summary>
    /// The two largest delivered figures of the day lose a digit (never the first one, so the figure still
    /// looks plausible at a glance): a valid file with a wrong number, as typed in a hurry.
    /// </summary>
    private static (List<SampleRow> Rows, string[] Units) DropDigits(int seed, List<SampleRow> rows)
    {
        var random = new SeededRandom(seed, "correction");
        var victims = rows.OrderByDescending(r => r.Delivered).ThenBy(r => r.UnitCode, StringComparer.Ordinal).Take(2)
            .Select(r => r.UnitCode).Order(StringComparer.Ordinal).ToArray();
        var wrong = rows.Select(r =>
        {
            if (!victims.Contains(r.UnitCode))
                return r;
            var digits = r.Delivered.ToString(CultureInfo.InvariantCulture);
            var position = random.Next(1, digits.Length);
            return r with { Delivered = long.Parse(digits.Remove(position, 1), CultureInfo.InvariantCulture), Incident = "corrected_reupload" };
        }).ToList();
        return (wrong, victims);
    }
}
