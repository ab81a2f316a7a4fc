namespace PostalPeak.Calendar;

/// <summary>Names Vietnamese people use for lunar years, months and the days around Tết.</summary>
public static class VietnameseNames
{
    private static readonly string[] Stems = ["Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý"];
    private static readonly string[] Branches = ["Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi"];
    private static readonly string[] Months = ["Giêng", "Hai", "Ba", "Tư", "Năm", "Sáu", "Bảy", "Tám", "Chín", "Mười", "Một", "Chạp"];

    /// <summary>The Can Chi name of a lunar year: 2023 → "Quý Mão", 2027 → "Đinh Mùi".</summary>
    public static string YearName(int lunarYear) =>
        $"{Stems[Mod(lunarYear + 6, 10)]} {Branches[Mod(lunarYear + 8, 12)]}";

    /// <summary>"tháng Giêng", "tháng Chạp", "tháng Tư nhuận".</summary>
    public static string MonthName(int month, bool leap = false) =>
        $"tháng {(month == 11 ? "Mười Một" : Months[month - 1])}{(leap ? " nhuận" : "")}";

    /// <summary>"28 tháng Chạp", "Mùng 1 tháng Giêng", "15 tháng Tám".</summary>
    public static string DayLabel(LunarDate date) =>
        $"{(date.Day <= 10 ? "Mùng " : "")}{date.Day} {MonthName(date.Month, date.IsLeapMonth)}";

    /// <summary>How people count the days around Tết: "28 Tết", "30 Tết", "Mùng 1 Tết", …; other days as <see cref="DayLabel"/>.</summary>
    public static string TetLabel(LunarDate date) => date switch
    {
        { Month: 12, Day: >= 23, IsLeapMonth: false } => $"{date.Day} Tết",
        { Month: 1, Day: <= 10, IsLeapMonth: false } => $"Mùng {date.Day} Tết",
        _ => DayLabel(date),
    };

    /// <summary>
    /// <see cref="TetLabel"/> without the word "tháng" on other days ("Mùng 2 Chạp", "16 Chạp", "15 Giêng"): short
    /// enough to sit under a date on a chart's axis.
    /// </summary>
    public static string ShortLabel(LunarDate date) => date switch
    {
        { Month: 12, Day: >= 23, IsLeapMonth: false } or { Month: 1, Day: <= 10, IsLeapMonth: false } => TetLabel(date),
        _ => $"{(date.Day <= 10 ? "Mùng " : "")}{date.Day} {(date.Month == 11 ? "Mười Một" : Months[date.Month - 1])}{(date.IsLeapMonth ? " nhuận" : "")}",
    };

    private static int Mod(int value, int divisor) => ((value % divisor) + divisor) % divisor;
}
