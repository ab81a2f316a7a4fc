namespace PostalPeak.Demo;

/// <summary>
/// One carrier's parcels in one unit through one season, day by day. Delivery is limited by the staff
/// on duty and by what is on hand, so the stock is a consequence of intake and capacity rather than a
/// figure drawn on its own, and the counted backlog agrees with the flow by construction.
/// </summary>
internal static class UnitSimulation
{
    private const double ParcelsPerCourier = 55;
    private const double LossPer10K = 3;
    private const double DamagePer10K = 5;
    private const double ComplaintsPer10K = 4;

    private static readonly string[] OccasionalNotes = ["Mưa lớn, giao chậm", "Xe hỏng, giao bù ngày sau", "Mất điện tại kho", "Đường sạt lở, tạm dừng tuyến"];

    /// <param name="baseline">Parcels received on an ordinary day.</param>
    public static List<SampleRow> Run(int seed, SampleCarrier carrier, int season, DateOnly tet, string unitCode, double baseline, ScriptedIncidents incidents)
    {
        var random = new SeededRandom(seed, $"series:{season}:{carrier.Code}:{unitCode}");
        var productivity = ParcelsPerCourier * random.Between(0.9, 1.1);
        var roster = Math.Max(1, Math.Ceiling(baseline * 1.15 / productivity));
        var complaintRate = ComplaintsPer10K / 10_000 * random.Between(0.6, 1.4);
        var resolveOn = new long[SeasonShape.Days + 8];
        var stock = (long)Math.Round(baseline * 0.6 * random.Noise(0.2));
        long previousReceived = 0;
        var rows = new List<SampleRow>(SeasonShape.Days);

        for (var day = 0; day < SeasonShape.Days; day++)
        {
            var offset = SeasonShape.FirstOffset + day;
            var date = tet.AddDays(offset);
            var scripted = incidents.At(carrier.Code, season, unitCode, offset);

            var received = (long)Math.Round(baseline * SeasonShape.Intake(offset) * SeasonShape.Weekday(date, offset) * random.Noise(0.16));
            // A tenfold jump over the previous day is what the ingestion flags as a typing slip; real intake never does that.
            if (previousReceived > 0)
                received = Math.Min(received, 6 * previousReceived + 3);
            previousReceived = received;

            var staffing = SeasonShape.Staffing(offset) * (scripted?.Staff ?? 1);
            var staff = (long)Math.Round(roster * staffing * random.Noise(0.08));
            if (staffing >= 0.3)
                staff = Math.Max(1, staff);
            var capacity = staff * productivity * random.Noise(0.1) * (scripted?.Capacity ?? 1);

            var available = stock + received;
            var delivered = (long)Math.Min(Math.Floor(available * random.Between(0.58, 0.68)), Math.Floor(capacity));
            var returned = Math.Min(random.Count(delivered * carrier.ReturnRate), available - delivered);
            var handled = delivered + returned;
            var lost = scripted?.LossRate is > 0 and var rate
                ? (long)Math.Round(handled * rate)
                : random.Count(handled * LossPer10K / 10_000);
            lost = Math.Min(lost, available - handled);
            var damaged = random.Count(handled * DamagePer10K / 10_000);
            stock = available - handled - lost;

            long? counted = null;
            if (scripted?.Unaccounted == true)
            {
                // Parcels the flow says are on hand but nobody can find: they are gone, so the stock follows the count.
                stock -= Math.Min(stock / 2, Math.Max(200, (long)Math.Round(stock * random.Between(0.18, 0.25))));
                counted = stock;
            }
            else if (carrier.CountsBacklogOn(day))
            {
                counted = stock;
                // An occasional small miscount, well inside what the ingestion tolerates.
                if (carrier.CountsBacklogDaily && stock >= 50 && random.Chance(0.01))
                    counted = stock + (random.Chance(0.5) ? 1 : -1) * random.Next(1, 5);
            }

            // Late deliveries bring complaints: the rate rises with the stock waiting.
            var waiting = Math.Min(stock / Math.Max(1, baseline), 10);
            var complaints = random.Count(received * complaintRate * (1 + 0.3 * waiting) * (scripted?.Complaints ?? 1));
            for (var i = 0; i < complaints; i++)
            {
                var lag = random.NextDouble() switch { < 0.55 => 1, < 0.9 => 2, _ => 3 };
                // Nobody answers complaints on the first days of the new year.
                if (SeasonShape.IsHoliday(offset + lag))
                    lag += 2;
                resolveOn[day + lag]++;
            }

            var note = scripted?.Note
                ?? (staff == 0 && SeasonShape.IsHoliday(offset) ? "Nghỉ Tết"
                : random.Chance(0.002) ? OccasionalNotes[random.Next(0, OccasionalNotes.Length)] : "");
            rows.Add(new SampleRow(date, offset, unitCode, received, delivered, returned, lost, damaged, counted,
                complaints, resolveOn[day], staff, note, scripted?.Incident));
        }
        return rows;
    }
}
