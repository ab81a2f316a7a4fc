using System.Globalization;
using System.Text;

namespace PostalPeak.Demo;

/// <summary>One carrier's duty roster ("lịch trực Tết") for a season, as the CSV it submits.</summary>
public sealed record SampleRoster(string Path, string CarrierCode, int Season, IReadOnlyList<DateOnly> Days, byte[] Content);

/// <summary>
/// The duty rosters the carriers submit for the latest season's run-up and holiday days: a leader and an operations
/// officer on duty each day, and the customer hotline. People, positions and numbers are invented, drawn with the seed;
/// the carriers that run shifts write two a day. One carrier forgets one holiday day, so the roster's compliance has
/// something to show.
/// </summary>
public static class SampleRosters
{
    public const string ListFile = "rosters.csv";

    /// <summary>The carrier whose roster leaves out <see cref="MissingDayOffset"/>: the same careless one that skips a report.</summary>
    public const string MissingCarrier = "HAMRONG";

    /// <summary>Mùng 2 Tết.</summary>
    public const int MissingDayOffset = 1;

    /// <summary>The run-up's first day to the holiday's last, as the default phases have them.</summary>
    public const int FirstOffset = -7;
    public const int LastOffset = 4;

    // Carriers with a large sorting centre hand over at 06:00 and 18:00; the others keep one person the whole day.
    private static readonly string[] ShiftCarriers = ["SAOKHUE", "LAMSON"];

    private static readonly string[] FamilyNames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Trịnh", "Mai", "Lương", "Hà"];
    private static readonly string[] MaleMiddle = ["Văn", "Đức", "Minh", "Hữu", "Quang", "Xuân", "Đình", "Anh"];
    private static readonly string[] FemaleMiddle = ["Thị", "Thu", "Ngọc", "Thanh", "Phương", "Hồng"];
    private static readonly string[] MaleGiven = ["Hùng", "Dũng", "Tuấn", "Sơn", "Long", "Cường", "Thắng", "Hải", "Nam", "Quân", "Trung", "Việt"];
    private static readonly string[] FemaleGiven = ["Lan", "Hương", "Hà", "Thảo", "Trang", "Hằng", "Nga", "Linh", "Huyền", "Mai", "Yến", "Loan"];
    private static readonly string[] Positions = ["Giám đốc", "Phó Giám đốc", "Phó Giám đốc", "Trưởng phòng Khai thác", "Trưởng phòng Chăm sóc khách hàng"];
    // Mobile prefixes of the national networks; the rest of each number is drawn.
    private static readonly string[] MobilePrefixes = ["091", "094", "088", "098", "097", "086", "090", "093", "070", "081"];

    private static readonly string[] English =
        ["date", "shift", "leader_name", "leader_position", "leader_phone", "operator_name", "operator_phone", "hotline", "hotline_24h"];

    private static readonly string[] Vietnamese =
        ["Ngày", "Ca", "Lãnh đạo trực", "Chức vụ", "Số điện thoại lãnh đạo", "Trực điều hành", "Số điện thoại điều hành", "Đường dây nóng", "Trực 24/24"];

    public static IReadOnlyList<SampleRoster> Generate(int seed, int season, DateOnly tet) =>
        SampleCarriers.All.Select(carrier => Generate(seed, season, tet, carrier)).ToList();

    private static SampleRoster Generate(int seed, int season, DateOnly tet, SampleCarrier carrier)
    {
        var random = new SeededRandom(seed, $"roster:{season}:{carrier.Code}");
        var leaders = Enumerable.Range(0, 3).Select(i => (Person: Person(random), Position: Positions[i == 0 ? 0 : random.Next(1, Positions.Length)],
            Phone: Mobile(random))).ToList();
        var operators = Enumerable.Range(0, 4).Select(_ => (Person: Person(random), Phone: Mobile(random))).ToList();
        var hotline = "1900 " + random.Next(100_000, 1_000_000).ToString(CultureInfo.InvariantCulture);
        var shifts = ShiftCarriers.Contains(carrier.Code) ? new[] { "ca ngày 06:00–18:00", "ca đêm 18:00–06:00" } : ["cả ngày"];
        var style = carrier.Style;

        var text = new StringBuilder();
        var newline = style.CrLf ? "\r\n" : "\n";
        text.Append(string.Join(style.Separator, (style.VietnameseHeaders ? Vietnamese : English).Select(h => CsvText.Field(h, style.Separator)))).Append(newline);
        var days = new List<DateOnly>();
        var turn = 0;
        for (var offset = FirstOffset; offset <= LastOffset; offset++)
        {
            if (carrier.Code == MissingCarrier && offset == MissingDayOffset)
                continue;
            var date = tet.AddDays(offset);
            days.Add(date);
            foreach (var shift in shifts)
            {
                var leader = leaders[turn % leaders.Count];
                var officer = operators[turn % operators.Count];
                turn++;
                var fields = new[]
                {
                    date.ToString(style.DateFormat, CultureInfo.InvariantCulture), shift, leader.Person, leader.Position, leader.Phone,
                    officer.Person, officer.Phone, hotline, style.VietnameseHeaders ? "Có" : "yes",
                };
                text.Append(string.Join(style.Separator, fields.Select(f => CsvText.Field(f, style.Separator)))).Append(newline);
            }
        }
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        return new SampleRoster($"{season}/duty/{carrier.Code}.csv", carrier.Code, season, days,
            style.ByteOrderMark ? [.. Encoding.UTF8.Preamble, .. bytes] : bytes);
    }

    private static string Person(SeededRandom random)
    {
        var female = random.Chance(0.45);
        return string.Join(' ', FamilyNames[random.Next(0, FamilyNames.Length)],
            female ? FemaleMiddle[random.Next(0, FemaleMiddle.Length)] : MaleMiddle[random.Next(0, MaleMiddle.Length)],
            female ? FemaleGiven[random.Next(0, FemaleGiven.Length)] : MaleGiven[random.Next(0, MaleGiven.Length)]);
    }

    /// <summary>"0912 345 678", as people write a mobile number.</summary>
    private static string Mobile(SeededRandom random)
    {
        var rest = random.Next(0, 10_000_000).ToString("D7", CultureInfo.InvariantCulture);
        var national = MobilePrefixes[random.Next(0, MobilePrefixes.Length)] + rest;
        return $"{national[..4]} {national[4..7]} {national[7..]}";
    }
}
