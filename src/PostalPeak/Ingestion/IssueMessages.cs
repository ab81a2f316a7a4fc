using System.Globalization;

namespace PostalPeak.Ingestion;

/// <summary>
/// The message of each issue code in Vietnamese and English. {name} placeholders take the issue's args.
/// Messages say what is wrong and how to fix it, for a carrier manager working from Excel.
/// </summary>
public static class IssueMessages
{
    private static readonly Dictionary<string, (string Vi, string En)> Templates = new()
    {
        [IssueCodes.MissingColumn] = (
            "Thiếu cột bắt buộc \"{column}\". Dòng tiêu đề cần có các cột: ngày báo cáo, mã đơn vị, sản lượng nhận, phát thành công.",
            "The required column \"{column}\" is missing. The header line needs report date, unit code, received and delivered."),
        [IssueCodes.DuplicateColumn] = (
            "Cột \"{header}\" và một cột khác cùng chỉ \"{column}\". Hãy xóa một trong hai.",
            "The column \"{header}\" and another column both mean \"{column}\". Remove one of them."),
        [IssueCodes.MissingValue] = (
            "Ô \"{column}\" đang trống; cột này bắt buộc phải có giá trị.",
            "The cell \"{column}\" is empty; this column needs a value."),
        [IssueCodes.InvalidNumber] = (
            "\"{value}\" không phải số nguyên (ví dụ đúng: 1234 hoặc 1.234).",
            "\"{value}\" is not a whole number (e.g. 1234 or 1,234)."),
        [IssueCodes.NegativeNumber] = (
            "Số lượng không được âm: \"{value}\".",
            "A count cannot be negative: \"{value}\"."),
        [IssueCodes.InvalidDate] = (
            "\"{value}\" không phải ngày hợp lệ. Dùng dạng dd/MM/yyyy (ví dụ 28/01/2027) hoặc yyyy-MM-dd.",
            "\"{value}\" is not a valid date. Use dd/MM/yyyy (e.g. 28/01/2027) or yyyy-MM-dd."),
        [IssueCodes.FutureDate] = (
            "Ngày {value} chưa tới (hôm nay là {today}); chỉ báo cáo cho ngày đã qua hoặc hôm nay.",
            "The date {value} is in the future (today is {today}); report only past days or today."),
        [IssueCodes.UnknownUnit] = (
            "Mã đơn vị \"{value}\" không có hiệu lực vào ngày {date}. Trước 01/07/2025 dùng mã huyện, từ 01/07/2025 dùng mã xã/phường.",
            "The unit code \"{value}\" is not in force on {date}. Before 1 July 2025 use district codes, from 1 July 2025 commune codes."),
        [IssueCodes.CarrierMismatch] = (
            "Mã doanh nghiệp \"{value}\" khác với doanh nghiệp của tài khoản gửi ({carrier}).",
            "The carrier code \"{value}\" differs from the uploading account's carrier ({carrier})."),
        [IssueCodes.DuplicateRow] = (
            "Đơn vị {unit} ngày {date} đã có ở dòng {first}; mỗi đơn vị chỉ một dòng mỗi ngày.",
            "Unit {unit} on {date} already appears on line {first}; one line per unit and day."),
        [IssueCodes.FieldTooLong] = (
            "Ô \"{column}\" dài {length} ký tự, tối đa {max}.",
            "The cell \"{column}\" has {length} characters, at most {max} are allowed."),
        [IssueCodes.MalformedRow] = (
            "Dòng có dấu ngoặc kép không khớp; hãy lưu lại tệp từ Excel dưới dạng CSV.",
            "The line has unbalanced quotes; save the file again from Excel as CSV."),
        [IssueCodes.EmptyFile] = (
            "Tệp không có dòng dữ liệu nào sau dòng tiêu đề.",
            "The file has no data lines after the header."),
        [IssueCodes.NotText] = (
            "Tệp không phải tệp văn bản CSV ({reason}). Trong Excel chọn Lưu thành › CSV UTF-8.",
            "The file is not a CSV text file ({reason}). In Excel choose Save As › CSV UTF-8."),
        [IssueCodes.TooLarge] = (
            "Tệp có {size} byte, vượt giới hạn {max} byte. Hãy chia thành nhiều tệp.",
            "The file has {size} bytes, more than the limit of {max}. Split it into several files."),
        [IssueCodes.RecordTooLong] = (
            "Dòng {line} dài hơn {max} byte nên không đọc được: thường do một dấu ngoặc kép không được đóng, làm phần còn lại của tệp dồn vào một ô. Hãy kiểm tra dấu ngoặc kép quanh dòng {line}, hoặc lưu lại tệp từ Excel dưới dạng CSV.",
            "Line {line} is longer than {max} bytes and cannot be read: usually a quote that is never closed runs the rest of the file into one cell. Check the quotes around line {line}, or save the file again from Excel as CSV."),
        [IssueCodes.ProcessingFailed] = (
            "PostalPeak gặp lỗi phía máy chủ khi đọc tệp này; chưa có số liệu nào của tệp được ghi. Không cần sửa tệp: quản trị viên của Sở thấy được lỗi này và có thể xử lý lại. Nếu báo cáo gấp, hãy gửi lại tệp sau ít phút.",
            "PostalPeak had a fault on the server while reading this file; none of its figures were written. The file need not change: the department's administrators can see the failure and process it again. If the report is urgent, send the file again in a few minutes."),
        [IssueCodes.UnknownColumn] = (
            "Cột \"{header}\" không được nhận dạng và đã bỏ qua.",
            "The column \"{header}\" is not recognised and was ignored."),
        [IssueCodes.OutflowExceedsStock] = (
            "Phát + chuyển hoàn + thất lạc ({outflow}) lớn hơn tồn đầu ngày + nhận ({available}).",
            "Delivered + returned + lost ({outflow}) is more than the opening backlog plus received ({available})."),
        [IssueCodes.BacklogMismatch] = (
            "Tồn đọng báo cáo ({counted}) lệch xa tồn tính theo luồng ({flow}).",
            "The counted backlog ({counted}) is far from the flow-computed backlog ({flow})."),
        [IssueCodes.ResolvedExceedsOpen] = (
            "Khiếu nại đã giải quyết ({resolved}) nhiều hơn khiếu nại đang mở ({open}).",
            "Complaints resolved ({resolved}) exceed the open complaints ({open})."),
        [IssueCodes.VolumeJump] = (
            "Sản lượng nhận {received} gấp hơn 10 lần ngày trước ({previous}); hãy kiểm tra lại.",
            "Received {received} is more than ten times the previous day's ({previous}); please check."),
    };

    public static IEnumerable<string> Codes => Templates.Keys;

    public static string Render(string code, IReadOnlyDictionary<string, string> args, string language)
    {
        if (!Templates.TryGetValue(code, out var template))
            return code;
        var text = language == "en" ? template.En : template.Vi;
        foreach (var (name, value) in args)
            text = text.Replace("{" + name + "}", value, StringComparison.Ordinal);
        return text;
    }

    /// <summary>"vi" or "en" for the current UI culture.</summary>
    public static string CurrentLanguage() => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? "en" : "vi";
}
