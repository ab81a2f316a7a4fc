namespace PostalPeak.Demo;

/// <summary>A scripted incident: what happens, to which carrier and units, on which Tết offsets.</summary>
public sealed record Incident(string Key, string CarrierCode, int Season, IReadOnlyList<string> UnitCodes, IReadOnlyList<int> Offsets, string Description);

/// <summary>What an incident changes on one carrier, unit and day.</summary>
/// <param name="Capacity">What the staff on duty can deliver, as a share of an ordinary day (a flooded warehouse: staff present, little goes out).</param>
public sealed record DayModifiers(string Incident, double Staff = 1, double LossRate = 0, double Complaints = 1, bool Unaccounted = false, string? Note = null,
    double Capacity = 1);

/// <summary>
/// The incidents the sample data stages, so that every indicator and warning has something to show.
/// Units are drawn with the seed from the larger units (small ones would make the effects vanish in
/// rounding), each unit in at most one incident.
/// </summary>
public sealed class ScriptedIncidents
{
    public const int CurrentSeason = 2026;
    public const int EarlierSeason = 2025;

    private readonly Dictionary<(string Carrier, int Season, string Unit, int Offset), DayModifiers> _days = [];

    public ScriptedIncidents(int seed, SampleUnits.Lists units)
    {
        var random = new SeededRandom(seed, "incidents");
        var pool = units.Communes2025.OrderByDescending(u => u.Weight).Take(30).Select(u => u.Code).ToList();
        string Draw(int among = int.MaxValue)
        {
            var code = pool[random.Next(0, Math.Min(among, pool.Count))];
            pool.Remove(code);
            return code;
        }

        var spiral = new[] { Draw(), Draw() };
        Spiral = new Incident("backlog_spiral", "HOATOC", CurrentSeason, spiral, Range(-14, 15),
            "Staff shortage from T-14: deliveries collapse while intake keeps surging; backlog grows until Tết, then reinforcements clear it slowly");
        foreach (var unit in spiral)
        {
            for (var offset = -14; offset <= 4; offset++)
                Set(Spiral, unit, offset, new DayModifiers(Spiral.Key, Staff: 0.35, Note: offset is -14 or -10 ? "Thiếu nhân lực" : null));
            for (var offset = 5; offset <= 15; offset++)
                Set(Spiral, unit, offset, new DayModifiers(Spiral.Key, Staff: 1.3, Note: offset == 5 ? "Tăng cường nhân lực giải tỏa tồn đọng" : null));
        }

        // One of the largest units, so that a loss of under one percent is still a handful of parcels a day.
        var lossUnit = Draw(among: 4);
        Loss = new Incident("loss", "PHUONGDONG", CurrentSeason, [lossUnit], Range(-13, -10),
            "Lost parcels at 0.5–1% of those handled on T-13…T-11; on T-10 the counted backlog is a few hundred below the flow (unaccounted parcels)");
        for (var offset = -13; offset <= -11; offset++)
            Set(Loss, lossUnit, offset, new DayModifiers(Loss.Key, LossRate: random.Between(0.005, 0.01), Note: offset == -13 ? "Thất lạc hàng tại bưu cục" : null));
        Set(Loss, lossUnit, -10, new DayModifiers(Loss.Key, Unaccounted: true));

        var surge = new[] { Draw(), Draw(), Draw(), Draw() };
        Complaints = new Incident("complaint_surge", "LAMSON", CurrentSeason, surge, Range(-6, -2),
            "Complaints at ten times the normal rate for five days of the run-up");
        foreach (var unit in surge)
        {
            for (var offset = -6; offset <= -2; offset++)
                Set(Complaints, unit, offset, new DayModifiers(Complaints.Key, Complaints: 10, Note: offset == -6 ? "Khách hàng khiếu nại giao chậm" : null));
        }

        var missingUnit = Draw();
        Missing = new Incident("missing_report", "HAMRONG", CurrentSeason, [missingUnit], [MissingDayOffset, MissingUnitOffset],
            $"No file at all for T{MissingDayOffset}; the T+{MissingUnitOffset} file leaves out one unit");

        Correction = new Incident("corrected_reupload", "SAOKHUE", CurrentSeason, [], [CorrectionOffset],
            $"The T{CorrectionOffset} file has delivered with a digit dropped in two rows; a correction file follows the next day's file");

        var districts = units.Districts2023.Where(u => u.Name.StartsWith("Huyện", StringComparison.Ordinal)).OrderByDescending(u => u.Weight).Take(8).ToList();
        var buildUp = districts[random.Next(0, districts.Count)].Code;
        BuildUp = new Incident("backlog_build_up", "SONGMA", EarlierSeason, [buildUp], Range(-12, -6),
            "Staff shortage T-12…T-6 in one district: backlog builds up, cleared after Tết");
        for (var offset = -12; offset <= -6; offset++)
            Set(BuildUp, buildUp, offset, new DayModifiers(BuildUp.Key, Staff: 0.45, Note: offset == -12 ? "Thiếu nhân lực" : null));

        // Drawn after the others, so that adding them moved no earlier incident to other units.
        var flooded = Draw();
        Flood = new Incident("flooded_warehouse", "HOATOC", CurrentSeason, [flooded], Range(FloodFirstOffset, FloodLastOffset),
            $"Heavy rain floods the warehouse T{FloodFirstOffset}…T{FloodLastOffset}: staff on duty, but only a fifth of the usual parcels go out; the backlog jumps and is worked off slowly");
        for (var offset = FloodFirstOffset; offset <= FloodLastOffset; offset++)
            Set(Flood, flooded, offset, new DayModifiers(Flood.Key, Capacity: 0.2,
                Note: offset == FloodFirstOffset ? "Ngập kho, tạm dừng khai thác" : offset == FloodLastOffset ? "Nước rút, khôi phục khai thác" : "Ngập kho"));

        var seized = Draw();
        Prohibited = new Incident("prohibited_goods", "LAMSON", CurrentSeason, [seized], [ProhibitedOffset],
            $"Prohibited goods found in a parcel on T{ProhibitedOffset}; a note on the day's line, the figures are unaffected");
        Set(Prohibited, seized, ProhibitedOffset, new DayModifiers(Prohibited.Key, Note: "Phát hiện hàng cấm, bàn giao công an"));
    }

    public const int MissingDayOffset = -5;
    public const int MissingUnitOffset = 6;
    public const int CorrectionOffset = -9;
    public const int FloodFirstOffset = -11;
    public const int FloodLastOffset = -8;
    public const int ProhibitedOffset = -7;

    public Incident Spiral { get; }
    public Incident Loss { get; }
    public Incident Complaints { get; }
    public Incident Missing { get; }
    public Incident Correction { get; internal set; }
    public Incident BuildUp { get; }
    public Incident Flood { get; }
    public Incident Prohibited { get; }

    public IReadOnlyList<Incident> All => [Spiral, Loss, Complaints, Missing, Correction, BuildUp, Flood, Prohibited];

    public DayModifiers? At(string carrier, int season, string unit, int offset) => _days.GetValueOrDefault((carrier, season, unit, offset));

    private void Set(Incident incident, string unit, int offset, DayModifiers modifiers) =>
        _days[(incident.CarrierCode, incident.Season, unit, offset)] = modifiers;

    private static int[] Range(int from, int to) => Enumerable.Range(from, to - from + 1).ToArray();
}
