namespace PostalPeak.Tests.Indicators;

/// <summary>A daily_report row as stored.</summary>
public sealed record RawRow
{
    public int CarrierId { get; init; }
    public string UnitCode { get; init; } = "";
    public DateOnly ReportDate { get; init; }
    public long Received { get; init; }
    public long Delivered { get; init; }
    public long? Returned { get; init; }
    public long? Lost { get; init; }
    public long? Damaged { get; init; }
    public long? Backlog { get; init; }
    public long? ComplaintsReceived { get; init; }
    public long? ComplaintsResolved { get; init; }
}

/// <summary>A daily_indicator row, as the SQL stores it or as the reference computes it.</summary>
public sealed record IndicatorValues
{
    public int CarrierId { get; init; }
    public string UnitCode { get; init; } = "";
    public DateOnly ReportDate { get; init; }
    public long? Opening { get; init; }
    public long? Closing { get; init; }
    public long? FlowBacklog { get; init; }
    public long? Unaccounted { get; init; }
    public long? BacklogGrowth { get; init; }
    public long? OpenComplaints { get; init; }
    public double? ThroughputRatio { get; init; }
    public double? ClearanceRate { get; init; }
    public double? DaysToClear { get; init; }
    public double? LossPer10k { get; init; }
    public double? DamagePer10k { get; init; }
    public double? ComplaintsPer10k { get; init; }
    public int WindowDays { get; init; }
    public long WindowReceived { get; init; }
    public long WindowDelivered { get; init; }
}

/// <summary>
/// Design section 4 read literally, with plain loops over one series at a time: an independent check on
/// the window-function SQL, so it deliberately shares no code or trick with it.
/// </summary>
public static class ReferenceIndicators
{
    public static List<IndicatorValues> Compute(IEnumerable<RawRow> rows)
    {
        var result = new List<IndicatorValues>();
        foreach (var series in rows.GroupBy(r => (r.CarrierId, r.UnitCode)))
        {
            var days = series.OrderBy(r => r.ReportDate).ToList();
            var closings = new long?[days.Count];
            long complaintsIn = 0, complaintsOut = 0;
            var complaintFacts = false;
            for (var i = 0; i < days.Count; i++)
            {
                var day = days[i];
                long? opening = i > 0 && days[i - 1].ReportDate == day.ReportDate.AddDays(-1) ? closings[i - 1] : null;
                long? flow = opening is null ? null : opening + day.Received - day.Delivered - (day.Returned ?? 0) - (day.Lost ?? 0);
                var closing = day.Backlog ?? flow;
                closings[i] = closing;

                long windowReceived = 0, windowDelivered = 0, windowComplaints = 0, windowComplaintBase = 0;
                int windowDays = 0, windowComplaintDays = 0;
                for (var j = 0; j <= i; j++)
                {
                    if (days[j].ReportDate < day.ReportDate.AddDays(-2))
                        continue;
                    windowDays++;
                    windowReceived += days[j].Received;
                    windowDelivered += days[j].Delivered;
                    if (days[j].ComplaintsReceived is { } complaints)
                    {
                        windowComplaintDays++;
                        windowComplaints += complaints;
                        windowComplaintBase += days[j].Received;
                    }
                }

                if (day.ComplaintsReceived is not null || day.ComplaintsResolved is not null)
                    complaintFacts = true;
                complaintsIn += day.ComplaintsReceived ?? 0;
                complaintsOut += day.ComplaintsResolved ?? 0;

                var handled = day.Delivered + (day.Returned ?? 0) + (day.Lost ?? 0);
                result.Add(new IndicatorValues
                {
                    CarrierId = day.CarrierId,
                    UnitCode = day.UnitCode,
                    ReportDate = day.ReportDate,
                    Opening = opening,
                    Closing = closing,
                    FlowBacklog = flow,
                    Unaccounted = flow is not null && day.Backlog is not null ? flow - day.Backlog : null,
                    BacklogGrowth = opening is not null && closing is not null ? closing - opening : null,
                    OpenComplaints = complaintFacts ? complaintsIn - complaintsOut : null,
                    ThroughputRatio = Ratio(windowDelivered, windowReceived),
                    ClearanceRate = opening is null ? null : Ratio(day.Delivered, opening.Value + day.Received),
                    DaysToClear = closing is null || windowDelivered == 0 ? null : closing.Value / ((double)windowDelivered / windowDays),
                    LossPer10k = day.Lost is null ? null : Ratio(10_000.0 * day.Lost.Value, handled),
                    DamagePer10k = day.Damaged is null ? null : Ratio(10_000.0 * day.Damaged.Value, handled),
                    ComplaintsPer10k = windowComplaintDays == 0 ? null : Ratio(10_000.0 * windowComplaints, windowComplaintBase),
                    WindowDays = windowDays,
                    WindowReceived = windowReceived,
                    WindowDelivered = windowDelivered,
                });
            }
        }
        return result;
    }

    private static double? Ratio(double numerator, double denominator) => denominator == 0 ? null : numerator / denominator;

    /// <summary>Asserts that two sets of indicator rows agree, naming the first row and field that does not.</summary>
    public static void AssertSame(IEnumerable<IndicatorValues> expected, IEnumerable<IndicatorValues> actual)
    {
        var actualByKey = actual.ToDictionary(r => (r.CarrierId, r.UnitCode, r.ReportDate));
        var expectedList = expected.ToList();
        Assert.Equal(expectedList.Count, actualByKey.Count);
        foreach (var want in expectedList)
        {
            Assert.True(actualByKey.TryGetValue((want.CarrierId, want.UnitCode, want.ReportDate), out var got),
                $"no indicator row for {want.CarrierId}/{want.UnitCode}/{want.ReportDate}");
            var where = $"{want.CarrierId}/{want.UnitCode}/{want.ReportDate:yyyy-MM-dd}";
            Same(where, "opening", want.Opening, got!.Opening);
            Same(where, "closing", want.Closing, got.Closing);
            Same(where, "flow_backlog", want.FlowBacklog, got.FlowBacklog);
            Same(where, "unaccounted", want.Unaccounted, got.Unaccounted);
            Same(where, "backlog_growth", want.BacklogGrowth, got.BacklogGrowth);
            Same(where, "open_complaints", want.OpenComplaints, got.OpenComplaints);
            Close(where, "throughput_ratio", want.ThroughputRatio, got.ThroughputRatio);
            Close(where, "clearance_rate", want.ClearanceRate, got.ClearanceRate);
            Close(where, "days_to_clear", want.DaysToClear, got.DaysToClear);
            Close(where, "loss_per_10k", want.LossPer10k, got.LossPer10k);
            Close(where, "damage_per_10k", want.DamagePer10k, got.DamagePer10k);
            Close(where, "complaints_per_10k", want.ComplaintsPer10k, got.ComplaintsPer10k);
            Same(where, "window_days", want.WindowDays, got.WindowDays);
            Same(where, "window_received", want.WindowReceived, got.WindowReceived);
            Same(where, "window_delivered", want.WindowDelivered, got.WindowDelivered);
        }
    }

    private static void Same(string where, string field, long? want, long? got) =>
        Assert.True(want == got, $"{field} of {where}: expected {want?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}, got {got?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}");

    internal static void Close(string where, string field, double? want, double? got) =>
        Assert.True(want is null ? got is null : got is not null && Math.Abs(want.Value - got.Value) <= 1e-9 * Math.Max(1, Math.Abs(want.Value)),
            $"{field} of {where}: expected {want?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "null"}, got {got?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "null"}");
}
