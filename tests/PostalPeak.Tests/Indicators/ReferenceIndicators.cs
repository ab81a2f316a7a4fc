using System.Reflection;
using PostalPeak.Calendar;
using PostalPeak.Indicators;

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
    public long? WindowComplaints { get; init; }
    public long? WindowComplaintBase { get; init; }
}

/// <summary>
/// What a roll-up needs besides the rows: carrier codes, the units in force with their provinces, the crosswalk, and for
/// coverage the carriers that are no longer active and the service units each carrier has declared (none: derived).
/// </summary>
public sealed record RollUpWorld(
    IReadOnlyDictionary<int, string> CarrierCodes,
    IReadOnlyList<(string Code, string Name, string ProvinceCode, DateOnly ValidFrom, DateOnly? ValidTo)> Units,
    IReadOnlyList<(string CommuneCode, string DistrictCode)> Crosswalk,
    IReadOnlySet<int>? InactiveCarriers = null,
    IReadOnlyDictionary<int, IReadOnlyList<string>>? ServiceUnits = null);

/// <summary>One GET /api/v1/indicators request, as the reference reads it.</summary>
public sealed record RollUpAsk(int[] Seasons, string GroupBy, string By, string? Unit = null, string? Carrier = null)
{
    public string Query => string.Join('&', Seasons.Select(s => $"season={s}")) + $"&groupBy={GroupBy}&by={By}"
        + (Unit is null ? "" : $"&unit={Unit}") + (Carrier is null ? "" : $"&carrier={Carrier}");
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
                    WindowComplaints = windowComplaintDays == 0 ? null : windowComplaints,
                    WindowComplaintBase = windowComplaintDays == 0 ? null : windowComplaintBase,
                });
            }
        }
        return result;
    }

    private static double? Ratio(double numerator, double denominator) => denominator == 0 ? null : numerator / denominator;

    /// <summary>A member of a roll-up: one carrier, unit and reported day, placed in its season.</summary>
    private sealed record Member(RawRow Raw, IndicatorValues Ind, int Season, int TetOffset, string? Phase, string Key, bool Approximate);

    /// <summary>
    /// A carrier × unit pair counted on a report day: one that reported, or one expected that did not, with the stocks
    /// carried from its latest earlier report when that is recent enough (each stock may still be unknown).
    /// </summary>
    private sealed record Pair(int CarrierId, string UnitCode, bool Reported, bool Carried, long? Closing, long? Backlog, long? OpenComplaints);

    /// <summary>
    /// The roll-ups of docs/indicators.md read literally, from the per-day reference: members' counts summed first,
    /// ratios derived from those sums, stocks of a period taken at its edges. Plain loops over the members, so that
    /// it shares nothing with the SQL but the definitions. Stocks are as of the day: the expected pairs that did not
    /// report add the stocks of their latest report of the <paramref name="carryDays"/> days before.
    /// </summary>
    public static List<IndicatorRow> RollUp(IReadOnlyList<RawRow> raw, IReadOnlyList<IndicatorValues> indicators, RollUpWorld world, RollUpAsk ask,
        int carryDays = 3)
    {
        var indicatorOf = new Dictionary<(int, string, DateOnly), IndicatorValues>();
        foreach (var i in indicators)
            indicatorOf[(i.CarrierId, i.UnitCode, i.ReportDate)] = i;
        var rawOf = new Dictionary<(int, string, DateOnly), RawRow>();
        foreach (var r in raw)
            rawOf[(r.CarrierId, r.UnitCode, r.ReportDate)] = r;
        var versions = new Dictionary<string, List<(string Code, string Name, string ProvinceCode, DateOnly ValidFrom, DateOnly? ValidTo)>>(StringComparer.Ordinal);
        foreach (var u in world.Units)
        {
            if (!versions.TryGetValue(u.Code, out var list))
                versions[u.Code] = list = [];
            list.Add(u);
        }
        // The province of a unit as in force on a day; null when the unit is not in force then.
        string? ProvinceOn(string unit, DateOnly day)
        {
            string? province = null;
            if (versions.TryGetValue(unit, out var list))
                foreach (var u in list)
                    if (u.ValidFrom <= day && (u.ValidTo is null || u.ValidTo >= day))
                    {
                        Assert.Null(province);
                        province = u.ProvinceCode;
                    }
            return province;
        }
        string KeyOf(int carrierId, string unit, DateOnly day) => ask.By switch
        {
            "carrier" => world.CarrierCodes[carrierId],
            "unit" => ask.Unit ?? unit,
            _ => ProvinceOn(unit, day) ?? throw new InvalidOperationException($"unit {unit} is not in force on {day}"),
        };

        // The unit asked for, and its counterparts on the other side of the 2025 reform (approximate).
        Dictionary<string, bool>? wanted = null;
        if (ask.Unit is not null)
        {
            wanted = new Dictionary<string, bool>(StringComparer.Ordinal) { [ask.Unit] = false };
            foreach (var (commune, district) in world.Crosswalk)
            {
                if (commune == ask.Unit)
                    wanted.TryAdd(district, true);
                if (district == ask.Unit)
                    wanted.TryAdd(commune, true);
            }
        }

        var members = new List<Member>();
        foreach (var r in raw)
        {
            var carrier = world.CarrierCodes[r.CarrierId];
            if (ask.Carrier is not null && carrier != ask.Carrier)
                continue;
            var approximate = false;
            if (wanted is not null && !wanted.TryGetValue(r.UnitCode, out approximate))
                continue;
            (int Year, int Offset, string? Phase)? place = null;
            foreach (var year in ask.Seasons)
            {
                var offset = r.ReportDate.DayNumber - LunarCalendar.Tet(year).DayNumber;
                if (offset < Seasons.DefaultFrom || offset > Seasons.DefaultTo)
                    continue;
                string? phase = null;
                foreach (var p in Seasons.DefaultPhases)
                    if (p.FromOffset <= offset && offset <= p.ToOffset)
                        phase = p.Code;
                place = (year, offset, phase);
            }
            if (place is null)
                continue;
            members.Add(new Member(r, indicatorOf[(r.CarrierId, r.UnitCode, r.ReportDate)], place.Value.Year, place.Value.Offset, place.Value.Phase,
                KeyOf(r.CarrierId, r.UnitCode, r.ReportDate), approximate));
        }

        // The units each carrier ever reported, in or out of the query's scope: where its derived service units come from.
        var unitsOf = new Dictionary<int, SortedSet<string>>();
        foreach (var r in raw)
        {
            if (!unitsOf.TryGetValue(r.CarrierId, out var set))
                unitsOf[r.CarrierId] = set = new SortedSet<string>(StringComparer.Ordinal);
            set.Add(r.UnitCode);
        }

        // Coverage: on each day someone in scope reported, every pair that reported or was expected to, by group.
        var coverage = new Dictionary<(string Key, DateOnly Day), List<Pair>>();
        var placeOf = new Dictionary<DateOnly, (int Season, string? Phase)>();
        foreach (var m in members)
            placeOf[m.Raw.ReportDate] = (m.Season, m.Phase);
        foreach (var day in placeOf.Keys.Order())
        {
            var reported = new HashSet<(int, string)>();
            foreach (var m in members)
                if (m.Raw.ReportDate == day)
                    reported.Add((m.Raw.CarrierId, m.Raw.UnitCode));
            var counted = new HashSet<(int CarrierId, string Unit)>(reported);
            foreach (var (carrierId, code) in world.CarrierCodes)
            {
                if (ask.Carrier is not null && code != ask.Carrier)
                    continue;
                if (world.InactiveCarriers is { } inactive && inactive.Contains(carrierId))
                    continue;
                var service = new List<string>();
                if (world.ServiceUnits is { } declared && declared.TryGetValue(carrierId, out var list) && list.Count > 0)
                    service.AddRange(list);
                else if (unitsOf.TryGetValue(carrierId, out var units))
                {
                    foreach (var unit in units)
                        for (var back = 1; back <= 7; back++)
                            if (rawOf.ContainsKey((carrierId, unit, day.AddDays(-back))))
                            {
                                service.Add(unit);
                                break;
                            }
                }
                foreach (var unit in service)
                    if ((wanted is null || wanted.ContainsKey(unit)) && ProvinceOn(unit, day) is not null)
                        counted.Add((carrierId, unit));
            }
            foreach (var (carrierId, unit) in counted)
            {
                var pair = new Pair(carrierId, unit, true, false, null, null, null);
                if (!reported.Contains((carrierId, unit)))
                {
                    pair = pair with { Reported = false };
                    for (var back = 1; back <= carryDays; back++)
                    {
                        var earlier = day.AddDays(-back);
                        if (!indicatorOf.TryGetValue((carrierId, unit, earlier), out var stocks))
                            continue;
                        var backlog = rawOf[(carrierId, unit, earlier)].Backlog;
                        if (stocks.Closing is null && backlog is null && stocks.OpenComplaints is null)
                            continue;
                        pair = pair with { Carried = true, Closing = stocks.Closing, Backlog = backlog, OpenComplaints = stocks.OpenComplaints };
                        break;
                    }
                }
                var key = (KeyOf(carrierId, unit, day), day);
                if (!coverage.TryGetValue(key, out var pairs))
                    coverage[key] = pairs = [];
                pairs.Add(pair);
            }
        }

        var rows = new List<IndicatorRow>();
        if (ask.GroupBy is "day" or "tet_offset")
        {
            foreach (var day in Groups(members, m => (m.Key, m.Raw.ReportDate)))
                rows.Add(DayRow(day, coverage[(day[0].Key, day[0].Raw.ReportDate)], world, ask.By));
            return ask.GroupBy == "tet_offset"
                ? [.. rows.OrderBy(r => r.TetOffset).ThenBy(r => r.Season).ThenBy(r => Key(r), StringComparer.Ordinal).ThenBy(r => r.ReportDate)]
                : [.. rows.OrderBy(r => r.Season).ThenBy(r => Key(r), StringComparer.Ordinal).ThenBy(r => r.ReportDate)];
        }
        foreach (var period in Groups(members, m => (m.Key, m.Season, ask.GroupBy == "phase" ? m.Phase : null)))
        {
            var first = period[0];
            // Every report day of the query in the period, including those on which the group itself reported nothing.
            var days = new Dictionary<DateOnly, List<Pair>>();
            foreach (var (day, place) in placeOf)
                if (place.Season == first.Season && (ask.GroupBy != "phase" || place.Phase == first.Phase)
                    && coverage.TryGetValue((first.Key, day), out var pairs))
                    days[day] = pairs;
            rows.Add(PeriodRow(period, days, world, ask));
        }
        return [.. rows.OrderBy(r => r.Season).ThenBy(r => Key(r), StringComparer.Ordinal)
            .ThenBy(r => Seasons.DefaultPhases.FirstOrDefault(p => p.Code == r.Phase)?.FromOffset)];
    }

    private static string Key(IndicatorRow row) => row.CarrierCode ?? row.UnitCode ?? row.ProvinceCode ?? "";

    private static List<List<Member>> Groups<TKey>(List<Member> members, Func<Member, TKey> key) where TKey : notnull
    {
        var groups = new Dictionary<TKey, List<Member>>();
        foreach (var m in members)
        {
            if (!groups.TryGetValue(key(m), out var list))
                groups[key(m)] = list = [];
            list.Add(m);
        }
        return [.. groups.Values];
    }

    /// <summary>The sum of the values that are known; unknown when none is.</summary>
    private static long? SumKnown(IEnumerable<long?> values)
    {
        long? sum = null;
        foreach (var value in values)
            if (value is { } known)
                sum = (sum ?? 0) + known;
        return sum;
    }

    private static long Handled(RawRow r) => r.Delivered + (r.Returned ?? 0) + (r.Lost ?? 0);

    private static IndicatorRow Keyed(IndicatorRow row, Member first, RollUpWorld world, string by) => row with
    {
        CarrierCode = by == "carrier" ? first.Key : null,
        UnitCode = by == "unit" ? first.Key : null,
        UnitName = by == "unit" ? world.Units.Where(u => u.Code == first.Key).Max(u => u.Name) : null,
        ProvinceCode = by == "province" ? first.Key : null,
    };

    /// <summary>The parts every roll-up derives the same way from its members, whatever the period.</summary>
    private static IndicatorRow Common(List<Member> members)
    {
        long received = 0, delivered = 0, cleared = 0, clearanceBase = 0, lost = 0, lossBase = 0, damaged = 0, damageBase = 0;
        bool anyOpening = false, anyLost = false, anyDamaged = false, approximate = false;
        var units = new HashSet<string>(StringComparer.Ordinal);
        var carriers = new HashSet<int>();
        foreach (var m in members)
        {
            received += m.Raw.Received;
            delivered += m.Raw.Delivered;
            if (m.Ind.Opening is { } opening)
            {
                anyOpening = true;
                cleared += m.Raw.Delivered;
                clearanceBase += opening + m.Raw.Received;
            }
            if (m.Raw.Lost is { } l)
            {
                anyLost = true;
                lost += l;
                lossBase += Handled(m.Raw);
            }
            if (m.Raw.Damaged is { } d)
            {
                anyDamaged = true;
                damaged += d;
                damageBase += Handled(m.Raw);
            }
            approximate |= m.Approximate;
            units.Add(m.Raw.UnitCode);
            carriers.Add(m.Raw.CarrierId);
        }
        return new IndicatorRow
        {
            Approximate = approximate,
            Reports = members.Count,
            UnitsReporting = units.Count,
            CarriersReporting = carriers.Count,
            Received = received,
            Delivered = delivered,
            Returned = SumKnown(members.Select(m => m.Raw.Returned)),
            Lost = SumKnown(members.Select(m => m.Raw.Lost)),
            Damaged = SumKnown(members.Select(m => m.Raw.Damaged)),
            ComplaintsReceived = SumKnown(members.Select(m => m.Raw.ComplaintsReceived)),
            ComplaintsResolved = SumKnown(members.Select(m => m.Raw.ComplaintsResolved)),
            Unaccounted = SumKnown(members.Select(m => m.Ind.Unaccounted)),
            BacklogGrowth = SumKnown(members.Select(m => m.Ind.BacklogGrowth)),
            ClearanceRate = anyOpening ? Ratio(cleared, clearanceBase) : null,
            LossPer10k = anyLost ? Ratio(10_000.0 * lost, lossBase) : null,
            DamagePer10k = anyDamaged ? Ratio(10_000.0 * damaged, damageBase) : null,
        };
    }

    private static IndicatorRow DayRow(List<Member> members, List<Pair> pairs, RollUpWorld world, string by)
    {
        var first = members[0];
        long windowReceived = 0, windowDelivered = 0, windowComplaints = 0, windowComplaintBase = 0;
        double recentPace = 0;
        bool anyClosing = false, anyComplaints = false;
        foreach (var m in members)
        {
            windowReceived += m.Ind.WindowReceived;
            windowDelivered += m.Ind.WindowDelivered;
            if (m.Ind.Closing is not null)
            {
                anyClosing = true;
                recentPace += (double)m.Ind.WindowDelivered / m.Ind.WindowDays;
            }
            if (m.Ind.WindowComplaintBase is { } complaintBase)
            {
                anyComplaints = true;
                windowComplaints += m.Ind.WindowComplaints ?? 0;
                windowComplaintBase += complaintBase;
            }
        }

        // Coverage: the pairs counted, those carried, and the units behind each; a unit is carried only when none of
        // its carriers reported it that day.
        var expectedUnits = new HashSet<string>(StringComparer.Ordinal);
        var reportingUnits = new HashSet<string>(StringComparer.Ordinal);
        var carriedUnits = new HashSet<string>(StringComparer.Ordinal);
        var carried = new List<Pair>();
        foreach (var p in pairs)
        {
            expectedUnits.Add(p.UnitCode);
            if (p.Reported)
                reportingUnits.Add(p.UnitCode);
            if (p.Carried)
            {
                carried.Add(p);
                carriedUnits.Add(p.UnitCode);
            }
        }
        carriedUnits.ExceptWith(reportingUnits);
        Assert.Equal(members.Count, pairs.Count(p => p.Reported));

        var closingReported = SumKnown(members.Select(m => m.Ind.Closing));
        return Keyed(Common(members) with
        {
            Season = first.Season,
            Phase = first.Phase,
            ReportDate = first.Raw.ReportDate,
            TetOffset = first.TetOffset,
            FirstDate = first.Raw.ReportDate,
            LastDate = first.Raw.ReportDate,
            DaysReported = 1,
            ReportsExpected = pairs.Count,
            ReportsCarried = carried.Count,
            UnitsExpected = expectedUnits.Count,
            UnitsCarried = carriedUnits.Count,
            ClosingKnown = members.Count(m => m.Ind.Closing is not null),
            Backlog = SumKnown(members.Select(m => m.Raw.Backlog).Concat(carried.Select(p => p.Backlog))),
            Opening = SumKnown(members.Select(m => m.Ind.Opening)),
            Closing = SumKnown(members.Select(m => m.Ind.Closing).Concat(carried.Select(p => p.Closing))),
            ClosingReported = closingReported,
            FlowBacklog = SumKnown(members.Select(m => m.Ind.FlowBacklog)),
            OpenComplaints = SumKnown(members.Select(m => m.Ind.OpenComplaints).Concat(carried.Select(p => p.OpenComplaints))),
            ThroughputRatio = Ratio(windowDelivered, windowReceived),
            // The reporting units' closing over their own recent pace: like with like, the carried stocks left out.
            DaysToClear = anyClosing ? Ratio(closingReported!.Value, recentPace) : null,
            ComplaintsPer10k = anyComplaints ? Ratio(10_000.0 * windowComplaints, windowComplaintBase) : null,
        }, first, world, by);
    }

    /// <summary>
    /// A period from its members and the group's pairs on every report day of the query in the period: flows summed,
    /// opening on the group's first reported day, the as-of stocks and carried counts of its last reported day.
    /// </summary>
    private static IndicatorRow PeriodRow(List<Member> members, Dictionary<DateOnly, List<Pair>> days, RollUpWorld world, RollUpAsk ask)
    {
        var first = members[0];
        var firstDay = members.Min(m => m.Raw.ReportDate);
        var lastDay = members.Max(m => m.Raw.ReportDate);
        var atStart = members.Where(m => m.Raw.ReportDate == firstDay).ToList();
        var atEnd = DayRow([.. members.Where(m => m.Raw.ReportDate == lastDay)], days[lastDay], world, ask.By);
        var daysReported = members.Select(m => m.Raw.ReportDate).Distinct().Count();
        long complaints = 0, complaintBase = 0;
        var anyComplaints = false;
        foreach (var m in members)
        {
            if (m.Raw.ComplaintsReceived is { } c)
            {
                anyComplaints = true;
                complaints += c;
                complaintBase += m.Raw.Received;
            }
        }
        long reportsExpected = 0;
        var unitsExpected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pairs in days.Values)
        {
            reportsExpected += pairs.Count;
            foreach (var p in pairs)
                unitsExpected.Add(p.UnitCode);
        }
        var common = Common(members);
        return Keyed(common with
        {
            Season = first.Season,
            Phase = ask.GroupBy == "phase" ? first.Phase : null,
            FirstDate = firstDay,
            LastDate = lastDay,
            DaysReported = daysReported,
            ReportsExpected = reportsExpected,
            ReportsCarried = atEnd.ReportsCarried,
            UnitsExpected = unitsExpected.Count,
            UnitsCarried = atEnd.UnitsCarried,
            ClosingKnown = atEnd.ClosingKnown,
            Backlog = atEnd.Backlog,
            Opening = SumKnown(atStart.Select(m => m.Ind.Opening)),
            Closing = atEnd.Closing,
            ClosingReported = atEnd.ClosingReported,
            FlowBacklog = atEnd.FlowBacklog,
            OpenComplaints = atEnd.OpenComplaints,
            ThroughputRatio = Ratio(common.Delivered, common.Received),
            // The as-of closing at the end over the period's average daily deliveries.
            DaysToClear = atEnd.Closing is null ? null : Ratio(atEnd.Closing.Value, (double)common.Delivered / daysReported),
            ComplaintsPer10k = anyComplaints ? Ratio(10_000.0 * complaints, complaintBase) : null,
        }, first, world, ask.By);
    }

    /// <summary>Asserts that two lists of roll-up rows agree in order and in every field, naming the first that does not.</summary>
    public static void AssertSameRollUp(string query, IReadOnlyList<IndicatorRow> expected, IReadOnlyList<IndicatorRow> actual)
    {
        Assert.True(expected.Count == actual.Count, $"{query}: expected {expected.Count} rows, got {actual.Count}");
        for (var i = 0; i < expected.Count; i++)
        {
            var want = expected[i];
            var where = $"{query} row {i} ({Key(want)} {want.ReportDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? want.Phase ?? want.Season?.ToString(System.Globalization.CultureInfo.InvariantCulture)})";
            foreach (var property in typeof(IndicatorRow).GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var (w, g) = (property.GetValue(want), property.GetValue(actual[i]));
                if (property.PropertyType == typeof(double?))
                    Close(where, property.Name, (double?)w, (double?)g);
                else
                    Assert.True(Equals(w, g), $"{property.Name} of {where}: expected {w ?? "null"}, got {g ?? "null"}");
            }
        }
    }

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
            Same(where, "window_complaints", want.WindowComplaints, got.WindowComplaints);
            Same(where, "window_complaint_base", want.WindowComplaintBase, got.WindowComplaintBase);
        }
    }

    private static void Same(string where, string field, long? want, long? got) =>
        Assert.True(want == got, $"{field} of {where}: expected {want?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}, got {got?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}");

    internal static void Close(string where, string field, double? want, double? got) =>
        Assert.True(want is null ? got is null : got is not null && Math.Abs(want.Value - got.Value) <= 1e-9 * Math.Max(1, Math.Abs(want.Value)),
            $"{field} of {where}: expected {want?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "null"}, got {got?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? "null"}");
}
