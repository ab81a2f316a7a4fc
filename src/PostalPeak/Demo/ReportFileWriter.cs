using System.Globalization;
using System.Text;

namespace PostalPeak.Demo;

/// <summary>Writes a day's rows the way the carrier's own export does (<see cref="FileStyle"/>).</summary>
internal static class ReportFileWriter
{
    private static readonly string[] English =
        ["report_date", "unit_code", "received", "delivered", "returned", "lost", "damaged", "backlog", "complaints_received", "complaints_resolved", "staff_on_duty", "note"];

    private static readonly string[] Vietnamese =
        ["Ngày báo cáo", "Mã đơn vị", "Sản lượng nhận", "Phát thành công", "Chuyển hoàn", "Thất lạc", "Hư hỏng", "Tồn đọng cuối ngày",
         "Khiếu nại tiếp nhận", "Khiếu nại đã giải quyết", "Nhân lực trực", "Ghi chú"];

    public static byte[] Write(SampleCarrier carrier, IEnumerable<SampleRow> rows)
    {
        var style = carrier.Style;
        var text = new StringBuilder();
        var newline = style.CrLf ? "\r\n" : "\n";
        var header = (style.VietnameseHeaders ? Vietnamese : English).ToList();
        if (style.CarrierColumn)
            header.Insert(2, "carrier_code");
        text.Append(string.Join(style.Separator, header.Select(h => CsvText.Field(h, style.Separator)))).Append(newline);
        foreach (var row in rows)
        {
            var fields = new List<string>
            {
                row.ReportDate.ToString(style.DateFormat, CultureInfo.InvariantCulture),
                row.UnitCode,
                Number(row.Received, style), Number(row.Delivered, style), Number(row.Returned, style), Number(row.Lost, style),
                Number(row.Damaged, style), row.Backlog is { } backlog ? Number(backlog, style) : "",
                Number(row.ComplaintsReceived, style), Number(row.ComplaintsResolved, style), Number(row.StaffOnDuty, style),
                CsvText.Field(row.Note, style.Separator),
            };
            if (style.CarrierColumn)
                fields.Insert(2, carrier.Code);
            text.Append(string.Join(style.Separator, fields)).Append(newline);
        }
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        return style.ByteOrderMark ? [.. Encoding.UTF8.Preamble, .. bytes] : bytes;
    }

    /// <summary>"1.234" for vi-VN, written by hand: culture data differs between ICU versions, and the bytes must not.</summary>
    private static string Number(long value, FileStyle style)
    {
        var digits = value.ToString(CultureInfo.InvariantCulture);
        if (!style.ViThousands || digits.Length <= 3)
            return digits;
        var grouped = new StringBuilder();
        for (var i = 0; i < digits.Length; i++)
        {
            if (i > 0 && (digits.Length - i) % 3 == 0)
                grouped.Append('.');
            grouped.Append(digits[i]);
        }
        return grouped.ToString();
    }
}

/// <summary>CSV quoting for the generated files and the manifest.</summary>
internal static class CsvText
{
    public static string Field(string value, char separator = ',') =>
        value.Contains(separator, StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal) || value.Contains('\n', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal)
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;

    public static string Line(params string[] fields) => string.Join(',', fields.Select(f => Field(f))) + "\n";
}
