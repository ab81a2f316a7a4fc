namespace PostalPeak.Demo;

/// <summary>How a carrier's files look: each carrier's back office exports its report its own way.</summary>
public sealed record FileStyle(
    bool VietnameseHeaders, char Separator, bool ByteOrderMark, bool CrLf, string DateFormat, bool ViThousands, bool CarrierColumn);

/// <summary>
/// A fictional carrier of the sample data. The names are invented: next to invented losses and
/// complaints, a real company's name would misrepresent it (design section 7).
/// </summary>
public sealed record SampleCarrier(string Code, string Name, double Share, double ReturnRate, FileStyle Style, bool CountsBacklogDaily)
{
    /// <summary>Whether the carrier writes a counted backlog on this day of the season (0 = first day).</summary>
    public bool CountsBacklogOn(int dayIndex) => CountsBacklogDaily || dayIndex % 7 == 0;
}

public static class SampleCarriers
{
    private static readonly FileStyle Plain = new(false, ',', false, false, "yyyy-MM-dd", false, false);

    /// <summary>Largest market share first; the shares add up to 1.</summary>
    public static IReadOnlyList<SampleCarrier> All { get; } =
    [
        new("SAOKHUE", "Bưu chính Sao Khuê", 0.30, 0.015, Plain with { CarrierColumn = true }, true),
        // The Excel user: Vietnamese headers, BOM, semicolons, "1.234", day first, CRLF.
        new("LAMSON", "Chuyển phát Lam Sơn", 0.22, 0.022, new FileStyle(true, ';', true, true, "dd/MM/yyyy", true, false), true),
        // Counts its stock only once a week, so most days leave the backlog to the flow.
        new("SONGMA", "Giao vận Sông Mã", 0.18, 0.018, Plain, false),
        new("HOATOC", "Hỏa Tốc Bắc Trung Bộ", 0.12, 0.012, Plain, true),
        new("PHUONGDONG", "Phương Đông Express", 0.10, 0.027, Plain, true),
        new("HAMRONG", "Bưu kiện Hàm Rồng", 0.08, 0.020, Plain, true),
    ];

    public static SampleCarrier Get(string code) => All.Single(c => c.Code == code);
}
