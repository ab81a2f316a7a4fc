using PostalPeak.Indicators;

namespace PostalPeak.Dashboard;

/// <summary>One cell of the heatmap: a unit on a day.</summary>
public sealed record HeatmapCell(string UnitCode, string UnitName, DateOnly Day, double Value);

/// <summary>
/// Units × days of one indicator, as the heatmap draws it and the table beside it lists it. A day a unit has no
/// figure for is NaN, drawn blank and listed empty, never as a zero. Days run without gaps from the first report to
/// the last, so a day nobody reported is an empty column rather than a missing one.
/// </summary>
public sealed class HeatmapGrid
{
    private HeatmapGrid(Metric metric, IReadOnlyList<(string Code, string Name)> units, IReadOnlyList<DateOnly> days, IReadOnlyList<string?> dayPhases,
        double[,] values, ColourScale? scale)
    {
        Metric = metric;
        Units = units;
        Days = days;
        DayPhases = dayPhases;
        Values = values;
        Scale = scale;
        var finite = values.Cast<double>().Where(double.IsFinite).ToList();
        Min = finite.Count == 0 ? null : finite.Min();
        Max = finite.Count == 0 ? null : finite.Max();
        Clip = Percentile(finite, 0.95);
        WorstFrom = LowerIsWorse ? Percentile(finite, 0.05) : Clip;
        var cells = Cells().ToList();
        Worst = LowerIsWorse ? cells.MinBy(c => c.Value) : cells.MaxBy(c => c.Value);
    }

    public Metric Metric { get; }
    public IReadOnlyList<(string Code, string Name)> Units { get; }
    public IReadOnlyList<DateOnly> Days { get; }

    /// <summary>The phase of each day (null outside every season or on a day nobody reported), for the threshold in force.</summary>
    public IReadOnlyList<string?> DayPhases { get; }

    /// <summary>The metric's alert thresholds, when it has any: then the colours are theirs, not the distribution's.</summary>
    public ColourScale? Scale { get; }

    /// <summary>True when the colours follow alert thresholds; false when they follow the season's own distribution.</summary>
    public bool ByRules => Scale is { HasRules: true };

    /// <summary>A cell's band by the rules in force on its day; <see cref="ColourBand.None"/> without a figure or without rules.</summary>
    public ColourBand BandAt(int unit, int day) =>
        ByRules && double.IsFinite(Values[unit, day]) ? Scale!.BandOf(Values[unit, day], DayPhases[day]) : ColourBand.None;

    /// <summary>[unit, day], in the order of <see cref="Units"/> and <see cref="Days"/>.</summary>
    public double[,] Values { get; }

    public double? Min { get; }
    public double? Max { get; }

    /// <summary>
    /// Without alert thresholds, the top of the colour scale: the 95th percentile of the finite values. Over the holiday days to clear runs
    /// to ~190 when deliveries stop, and a scale up to there would paint the whole peak in one colour.
    /// </summary>
    public double? Clip { get; }

    /// <summary>For a metric where higher is better (throughput) the low cells are the bad ones; for every other, the high cells.</summary>
    public bool LowerIsWorse => Metric.Direction == MetricDirection.HigherIsBetter;

    /// <summary>Where the worst 5% of cells begin: the clip itself, or the 5th percentile when lower is worse.</summary>
    public double? WorstFrom { get; }

    public HeatmapCell? Worst { get; }

    public bool IsWorst(double value) => double.IsFinite(value) && WorstFrom is { } from && (LowerIsWorse ? value <= from : value >= from);

    public IEnumerable<HeatmapCell> Cells()
    {
        for (var u = 0; u < Units.Count; u++)
            for (var d = 0; d < Days.Count; d++)
                if (double.IsFinite(Values[u, d]))
                    yield return new HeatmapCell(Units[u].Code, Units[u].Name, Days[d], Values[u, d]);
    }

    public static HeatmapGrid From(IReadOnlyList<IndicatorRow> rows, Metric metric, ColourScale? scale = null)
    {
        var units = rows.GroupBy(r => r.UnitCode!).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Select(r => r.UnitName).FirstOrDefault(n => !string.IsNullOrEmpty(n)) ?? g.Key)).ToList();
        var reported = rows.Select(r => r.ReportDate!.Value).ToList();
        var days = reported.Count == 0 ? [] : Enumerable.Range(reported.Min().DayNumber, reported.Max().DayNumber - reported.Min().DayNumber + 1)
            .Select(DateOnly.FromDayNumber).ToList();
        var values = new double[units.Count, days.Count];
        for (var u = 0; u < units.Count; u++)
            for (var d = 0; d < days.Count; d++)
                values[u, d] = double.NaN;
        var unitIndex = units.Select((unit, i) => (unit.Key, i)).ToDictionary(x => x.Key, x => x.i);
        var first = days.Count == 0 ? 0 : days[0].DayNumber;
        var phases = new string?[days.Count];
        foreach (var row in rows)
        {
            values[unitIndex[row.UnitCode!], row.ReportDate!.Value.DayNumber - first] = metric.Of(row) ?? double.NaN;
            phases[row.ReportDate!.Value.DayNumber - first] ??= row.Phase;
        }
        return new HeatmapGrid(metric, units, days, phases, values, scale);
    }

    /// <summary>The <paramref name="fraction"/> percentile, interpolated between the closest ranks (as Excel's PERCENTILE.INC); null when there are no values.</summary>
    public static double? Percentile(IReadOnlyList<double> values, double fraction)
    {
        if (values.Count == 0)
            return null;
        var sorted = values.Order().ToList();
        var rank = fraction * (sorted.Count - 1);
        var below = (int)Math.Floor(rank);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }
}
