using PostalPeak.Calendar;
using PostalPeak.Demo;

namespace PostalPeak.Tests.Demo;

public sealed class SampleDataTests
{
    private static readonly DateOnly Tet2026 = LunarCalendar.Tet(2026);

    [Fact]
    public void TheSameSeedGivesTheSameBytesAndAnotherSeedDoesNot()
    {
        var first = Samples.Generate(SampleDataGenerator.DefaultSeed).Contents().ToList();
        var again = Samples.Generate(SampleDataGenerator.DefaultSeed).Contents().ToList();
        var other = Samples.Generate(SampleDataGenerator.DefaultSeed + 1).Contents().ToDictionary(f => f.Path, f => f.Content);

        Assert.Equal(first.Select(f => f.Path), again.Select(f => f.Path));
        Assert.All(first.Zip(again), pair => Assert.Equal(pair.First.Content, pair.Second.Content));
        var changed = first.Count(f => !other.TryGetValue(f.Path, out var content) || !content.AsSpan().SequenceEqual(f.Content));
        Assert.True(changed > first.Count * 9 / 10, $"only {changed} of {first.Count} files differ with another seed");
    }

    [Fact]
    public void TheCommittedSampleFilesAreExactlyWhatTheDefaultSeedGenerates()
    {
        var folder = Samples.CommittedFolder;
        var generated = Samples.Default.Contents().ToList();

        foreach (var (path, content) in generated)
        {
            var committed = Path.Combine(folder, path);
            Assert.True(File.Exists(committed), $"{path} is not committed; run: dotnet run --project src/PostalPeak -- sample-data");
            Assert.True(content.AsSpan().SequenceEqual(File.ReadAllBytes(committed)), $"{path} differs from what the generator writes; run the sample-data command again");
        }
        var extra = Directory.GetFiles(folder, "*.csv", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Except(generated.Select(g => g.Path));
        Assert.Empty(extra);
    }

    [Fact]
    public void EveryCountedBacklogMatchesTheFlowExceptOnTheDayOfUnaccountedParcels()
    {
        var final = Samples.Final(Samples.Default);
        var mismatches = new List<(string Carrier, SampleRow Row)>();
        var smallMiscounts = 0;
        foreach (var ((carrier, unit, date), row) in final)
        {
            if (row.Backlog is not { } counted || !final.TryGetValue((carrier, unit, date.AddDays(-1)), out var previous) || previous.Backlog is not { } opening)
                continue;
            var flow = opening + row.Received - row.Delivered - row.Returned - row.Lost;
            if (Samples.FarApart(flow, counted))
                mismatches.Add((carrier, row));
            else if (flow != counted)
                smallMiscounts++;
        }

        var loss = Samples.Default.Incidents.Single(i => i.Key == "loss");
        var (mismatchCarrier, mismatch) = Assert.Single(mismatches);
        Assert.Equal((loss.CarrierCode, loss.UnitCodes[0], Tet2026.AddDays(-10)), (mismatchCarrier, mismatch.UnitCode, mismatch.ReportDate));
        Assert.InRange(mismatch.Backlog!.Value, 0, long.MaxValue);
        // Carriers miscount now and then, by a few parcels.
        Assert.InRange(smallMiscounts, 20, final.Count / 50);
    }

    [Fact]
    public void NoOrdinaryLineWouldBeFlaggedByTheIngestionOnlyTheStagedSlips()
    {
        var warnings = PlausibilityCheck.Run(Samples.Default.Files);

        Assert.Equal(
            ["2026/PHUONGDONG/2026-02-07.csv backlog_mismatch", "2026/SAOKHUE/2026-02-08.csv backlog_mismatch", "2026/SAOKHUE/2026-02-08.csv backlog_mismatch"],
            warnings.Select(w => $"{w.File} {w.Code}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void IntakeSurgesBeforeTetSlumpsOverTheHolidayAndRecovers()
    {
        foreach (var season in SampleDataGenerator.Seasons)
        {
            var tet = LunarCalendar.Tet(season);
            var byOffset = Samples.Final(Samples.Default, season).Values
                .GroupBy(r => r.TetOffset).ToDictionary(g => g.Key, g => g.Sum(r => r.Received));
            double Median(int from, int to) => Enumerable.Range(from, to - from + 1).Select(o => (double)byOffset[o]).Order().ElementAt((to - from) / 2);
            var baseline = Median(11, 15);

            Assert.True(Median(-30, -8) > 1.5 * Median(0, 4), $"{season}: peak median {Median(-30, -8)} vs holiday {Median(0, 4)}");
            Assert.InRange(Median(-12, -8) / baseline, 1.8, 2.8);
            Assert.InRange(Median(0, 4) / baseline, 0.05, 0.2);
            Assert.Equal(0, byOffset.Where(p => p.Key is >= 0 and <= 4).MinBy(p => p.Value).Key); // Mùng 1 is the quietest day
            Assert.InRange(byOffset[10] / baseline, 0.85, 1.15);
            Assert.Equal(tet.AddDays(-30), Samples.Default.Files.Where(f => f.Season == season).Min(f => f.ReportDate));
        }
    }

    [Fact]
    public void VolumesGrowFromSeasonToSeason()
    {
        var totals = SampleDataGenerator.Seasons.Select(s => (double)Samples.Final(Samples.Default, s).Values.Sum(r => r.Received)).ToList();

        for (var i = 1; i < totals.Count; i++)
            Assert.InRange(totals[i] / totals[i - 1], 1.06, 1.2);
    }

    [Fact]
    public void BacklogBuildsInThePeakAndIsClearedInRecovery()
    {
        // The carriers that count every day: their summed stock is known on every day.
        var daily = SampleCarriers.All.Where(c => c.CountsBacklogDaily).Select(c => c.Code).ToHashSet();
        var stock = Samples.Final(Samples.Default, 2024)
            .Where(p => daily.Contains(p.Key.Carrier))
            .GroupBy(p => p.Value.TetOffset).ToDictionary(g => g.Key, g => (double)g.Sum(p => p.Value.Backlog!.Value));

        Assert.True(stock[-8] > 2.5 * stock[-30], $"stock {stock[-8]} at T-8 against {stock[-30]} at T-30");
        Assert.True(stock[10] < 1.3 * stock[-30], $"stock {stock[10]} at T+10 against {stock[-30]} at T-30");
    }

    [Fact]
    public void TheScriptedIncidentsShowInTheFigures()
    {
        var final = Samples.Final(Samples.Default, 2026);
        SampleRow At(Incident incident, string unit, int offset) => final[(incident.CarrierCode, unit, Tet2026.AddDays(offset))];
        var incidents = Samples.Default.Incidents.ToDictionary(i => i.Key);

        var spiral = incidents["backlog_spiral"];
        Assert.Equal(2, spiral.UnitCodes.Count);
        foreach (var unit in spiral.UnitCodes)
        {
            var delivered = Enumerable.Range(-3, 3).Sum(o => At(spiral, unit, o).Delivered) / 3.0;
            Assert.True(At(spiral, unit, -1).Backlog / delivered > 7, $"days to clear in {unit} at T-1");
            Assert.True(At(spiral, unit, -4).Backlog > 5 * At(spiral, unit, -15).Backlog);
            Assert.True(At(spiral, unit, 15).Backlog < 0.6 * At(spiral, unit, 4).Backlog, $"{unit} clears in recovery");
        }

        var loss = incidents["loss"];
        foreach (var offset in new[] { -13, -12, -11 })
        {
            var row = At(loss, loss.UnitCodes[0], offset);
            Assert.InRange(10_000.0 * row.Lost / (row.Delivered + row.Returned + row.Lost), 45, 110);
        }

        var surge = incidents["complaint_surge"];
        foreach (var unit in surge.UnitCodes)
        {
            var during = Enumerable.Range(-6, 5).Sum(o => At(surge, unit, o).ComplaintsReceived) / (double)Enumerable.Range(-6, 5).Sum(o => At(surge, unit, o).Received);
            var before = Enumerable.Range(-30, 20).Sum(o => At(surge, unit, o).ComplaintsReceived) / (double)Enumerable.Range(-30, 20).Sum(o => At(surge, unit, o).Received);
            Assert.True(during > 4 * before, $"complaints in {unit}: {during * 10_000:0.0} per 10,000 against {before * 10_000:0.0}");
        }

        var flood = incidents["flooded_warehouse"];
        var flooded = Assert.Single(flood.UnitCodes);
        Assert.DoesNotContain(incidents.Values.Where(i => i.Key != flood.Key && i.Season == flood.Season), i => i.UnitCodes.Contains(flooded));
        var beforeFlood = At(flood, flooded, ScriptedIncidents.FloodFirstOffset - 1);
        var endOfFlood = At(flood, flooded, ScriptedIncidents.FloodLastOffset);
        Assert.True(endOfFlood.Backlog > 2 * beforeFlood.Backlog, $"{flooded}: backlog {endOfFlood.Backlog} after the flood, {beforeFlood.Backlog} before");
        Assert.All(Enumerable.Range(ScriptedIncidents.FloodFirstOffset, 4).Select(o => At(flood, flooded, o)),
            row => Assert.True(row.Delivered < row.Received / 2, $"{row.ReportDate}: delivered {row.Delivered} of {row.Received} received"));

        var seized = incidents["prohibited_goods"];
        Assert.Equal("Phát hiện hàng cấm, bàn giao công an", At(seized, seized.UnitCodes[0], ScriptedIncidents.ProhibitedOffset).Note);

        var buildUp = incidents["backlog_build_up"];
        var earlier = Samples.Final(Samples.Default, 2025);
        var tet2025 = LunarCalendar.Tet(2025);
        var counted = earlier.Where(p => p.Key.Carrier == buildUp.CarrierCode && p.Key.Unit == buildUp.UnitCodes[0] && p.Value.Backlog is not null)
            .ToDictionary(p => p.Value.TetOffset, p => p.Value.Backlog!.Value);
        Assert.Equal(tet2025, earlier.Keys.Where(k => k.Carrier == buildUp.CarrierCode).Min(k => k.Date).AddDays(30));
        Assert.True(counted[-2] > 4 * counted[-16], $"{buildUp.UnitCodes[0]} builds up a backlog");
    }

    [Fact]
    public void TheMissingDayAndTheMissingUnitAreReallyMissing()
    {
        var missing = Samples.Default.Incidents.Single(i => i.Key == "missing_report");
        var files = Samples.Default.Files.Where(f => f.CarrierCode == missing.CarrierCode && f.Season == 2026).ToDictionary(f => f.ReportDate);
        var dayOff = Tet2026.AddDays(ScriptedIncidents.MissingDayOffset);
        var unitOff = Tet2026.AddDays(ScriptedIncidents.MissingUnitOffset);

        Assert.Equal(45, files.Count);
        Assert.DoesNotContain(dayOff, files.Keys);
        Assert.Contains(dayOff.AddDays(-1), files.Keys);
        Assert.Contains(dayOff.AddDays(1), files.Keys);
        Assert.DoesNotContain(files[unitOff].Rows, r => r.UnitCode == missing.UnitCodes[0]);
        Assert.Equal(files[unitOff.AddDays(-1)].Rows.Count - 1, files[unitOff].Rows.Count);
        Assert.Contains(files[unitOff.AddDays(1)].Rows, r => r.UnitCode == missing.UnitCodes[0]);
        Assert.DoesNotContain(Samples.Default.Files, f => f.CarrierCode == missing.CarrierCode && f.ReportDate == dayOff);
    }

    [Fact]
    public void TheCorrectionDiffersFromItsOriginalOnlyInTheMistypedRows()
    {
        var incident = Samples.Default.Incidents.Single(i => i.Key == "corrected_reupload");
        var files = Samples.Default.Files.ToList();
        var original = files.Single(f => f.CarrierCode == incident.CarrierCode && f.Kind == "daily" && f.ReportDate == Tet2026.AddDays(ScriptedIncidents.CorrectionOffset));
        var correction = Assert.Single(files, f => f.Kind == "correction");

        Assert.Equal(original.ReportDate, correction.ReportDate);
        Assert.Equal(original.Path.Replace(".csv", ".correction.csv", StringComparison.Ordinal), correction.Path);
        // Uploaded after the following day's file.
        var nextDay = files.FindIndex(f => f.CarrierCode == incident.CarrierCode && f.ReportDate == original.ReportDate.AddDays(1));
        Assert.True(files.IndexOf(correction) > nextDay);
        Assert.Equal(original.Rows.Select(r => r.UnitCode), correction.Rows.Select(r => r.UnitCode));
        var changed = original.Rows.Zip(correction.Rows).Where(p => p.First != p.Second).ToList();
        Assert.Equal(incident.UnitCodes, changed.Select(p => p.First.UnitCode));
        foreach (var (wrong, right) in changed)
        {
            Assert.Equal(right with { Delivered = wrong.Delivered, Incident = wrong.Incident }, wrong);
            var digits = right.Delivered.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains(wrong.Delivered.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Enumerable.Range(1, digits.Length - 1).Select(i => digits.Remove(i, 1).TrimStart('0')));
        }
    }

    [Fact]
    public void OneCarrierCountsItsBacklogOnlyWeeklyAndTheOthersEveryDay()
    {
        var byCarrier = Samples.Final(Samples.Default, 2026).GroupBy(p => p.Key.Carrier)
            .ToDictionary(g => g.Key, g => g.Where(p => p.Value.Backlog is not null).Select(p => p.Value.TetOffset).Distinct().Order().ToList());

        Assert.Equal([-30, -23, -16, -9, -2, 5, 12], byCarrier["SONGMA"]);
        Assert.Equal(6, byCarrier.Count);
        // Every day the others reported (one of them skipped a day).
        var days = Samples.Default.Files.Where(f => f.Season == 2026).GroupBy(f => f.CarrierCode).ToDictionary(g => g.Key, g => g.Select(f => f.ReportDate).Distinct().Count());
        Assert.All(byCarrier.Where(p => p.Key != "SONGMA"), p => Assert.Equal(days[p.Key], p.Value.Count));
    }

    [Fact]
    public async Task EveryCarriersRosterIsReadByTheRosterReaderAndCoversTheRunUpAndHolidayButOneDay()
    {
        var tet = LunarCalendar.Tet(2026);
        var rosters = Samples.Default.Rosters;

        Assert.Equal(SampleCarriers.All.Select(c => c.Code), rosters.Select(r => r.CarrierCode));
        foreach (var roster in rosters)
        {
            var issues = new PostalPeak.Ingestion.IssueCollector();
            var rows = await PostalPeak.Duty.RosterFile.ReadAsync(roster.Content, roster.CarrierCode, 1000, issues, CancellationToken.None);
            Assert.False(issues.HasErrors, $"{roster.Path}: {string.Join(", ", issues.Kept.Select(i => $"{i.Line} {i.Code}"))}");
            var expected = Enumerable.Range(-7, 12).Select(o => tet.AddDays(o))
                .Where(d => roster.CarrierCode != SampleRosters.MissingCarrier || d != tet.AddDays(SampleRosters.MissingDayOffset)).ToList();
            Assert.Equal(expected, rows.Select(r => r.Date).Distinct());
            Assert.All(rows, r => Assert.StartsWith("+84", r.LeaderPhone, StringComparison.Ordinal));
            Assert.All(rows, r => Assert.Matches("^1900[0-9]{6}$", r.Hotline));
            Assert.All(rows, r => Assert.True(r.Hotline24h));
        }
        Assert.Contains(rosters.Single(r => r.CarrierCode == "LAMSON").Content.Take(3), b => b == 0xEF); // the Excel user's file keeps its BOM
    }

    [Fact]
    public void TheReadmeNamesEveryIncidentUnitAndTheSeed()
    {
        var readme = File.ReadAllText(Path.Combine(Samples.CommittedFolder, "README.md"));

        Assert.Contains(SampleDataGenerator.DefaultSeed.ToString(System.Globalization.CultureInfo.InvariantCulture), readme, StringComparison.Ordinal);
        foreach (var incident in Samples.Default.Incidents)
        {
            Assert.Contains(incident.CarrierCode, readme, StringComparison.Ordinal);
            Assert.All(incident.UnitCodes, unit => Assert.Contains(unit, readme, StringComparison.Ordinal));
        }
    }
}
