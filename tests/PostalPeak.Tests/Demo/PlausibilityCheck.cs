using PostalPeak.Demo;

namespace PostalPeak.Tests.Demo;

/// <summary>
/// The ingestion's plausibility warnings, replayed over the generated files in upload order without a
/// database: each line is compared with the day before as it stood when the file arrived.
/// </summary>
internal static class PlausibilityCheck
{
    public sealed record Warning(string File, string Code, string Unit, DateOnly Date);

    public static List<Warning> Run(IEnumerable<SampleFile> files)
    {
        var stored = new Dictionary<(string Carrier, string Unit), SortedDictionary<DateOnly, SampleRow>>();
        var warnings = new List<Warning>();
        foreach (var file in files)
        {
            foreach (var row in file.Rows)
            {
                if (!stored.TryGetValue((file.CarrierCode, row.UnitCode), out var series))
                    stored[(file.CarrierCode, row.UnitCode)] = series = [];
                series[row.ReportDate] = row;
            }
            foreach (var row in file.Rows)
            {
                var series = stored[(file.CarrierCode, row.UnitCode)];
                void Warn(string code) => warnings.Add(new Warning(file.Path, code, row.UnitCode, row.ReportDate));
                var previous = series.GetValueOrDefault(row.ReportDate.AddDays(-1));
                var outflow = row.Delivered + row.Returned + row.Lost;
                if (previous?.Backlog is { } opening)
                {
                    if (outflow > opening + row.Received)
                        Warn("outflow_exceeds_stock");
                    if (row.Backlog is { } counted && Samples.FarApart(opening + row.Received - outflow, counted))
                        Warn("backlog_mismatch");
                }
                var openBefore = series.Where(p => p.Key < row.ReportDate).Sum(p => p.Value.ComplaintsReceived - p.Value.ComplaintsResolved);
                if (row.ComplaintsResolved > openBefore + row.ComplaintsReceived)
                    Warn("resolved_exceeds_open");
                if (previous is { Received: > 0 } && row.Received > 10 * previous.Received)
                    Warn("volume_jump");
            }
        }
        return warnings;
    }
}
