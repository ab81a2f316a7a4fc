using System.Globalization;
using System.Text;

namespace PostalPeak.Ingestion;

/// <summary>
/// The columns of the daily carrier report (design section 3) and the header names carriers write for
/// them. Headers are compared after <see cref="NormalizeHeader"/>: case, Vietnamese diacritics, spaces,
/// underscores and hyphens do not matter.
/// </summary>
public static class ReportColumns
{
    public const string ReportDate = "report_date";
    public const string UnitCode = "unit_code";
    public const string CarrierCode = "carrier_code";
    public const string Received = "received";
    public const string Delivered = "delivered";
    public const string Returned = "returned";
    public const string Lost = "lost";
    public const string Damaged = "damaged";
    public const string Backlog = "backlog";
    public const string ComplaintsReceived = "complaints_received";
    public const string ComplaintsResolved = "complaints_resolved";
    public const string StaffOnDuty = "staff_on_duty";
    public const string Note = "note";

    public static readonly IReadOnlyList<string> Required = [ReportDate, UnitCode, Received, Delivered];

    /// <summary>
    /// The header of the downloadable template: every column the reader knows, in the report's order, but the carrier
    /// code, which the upload already says.
    /// </summary>
    public static IEnumerable<string> TemplateHeader => Aliases.Keys.Where(c => c != CarrierCode);

    /// <summary>Canonical name → accepted aliases, as written in files (normalised when compared).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Aliases = new Dictionary<string, string[]>
    {
        [ReportDate] = ["ngay", "ngay_bao_cao", "Ngày báo cáo", "date"],
        [UnitCode] = ["ma_don_vi", "ma_huyen", "ma_xa", "Mã đơn vị", "ma_dvhc", "unit"],
        [CarrierCode] = ["ma_doanh_nghiep", "Mã DN", "ma_dn", "carrier"],
        [Received] = ["san_luong_nhan", "Sản lượng nhận", "Bưu gửi nhận", "nhan"],
        [Delivered] = ["san_luong_phat", "Phát thành công", "phat"],
        [Returned] = ["chuyen_hoan", "Chuyển hoàn"],
        [Lost] = ["that_lac", "Thất lạc"],
        [Damaged] = ["hu_hong", "Hư hỏng"],
        [Backlog] = ["ton_dong", "Tồn đọng cuối ngày", "ton_dong_cuoi_ngay"],
        [ComplaintsReceived] = ["khieu_nai_nhan", "Khiếu nại tiếp nhận", "khieu_nai_tiep_nhan"],
        [ComplaintsResolved] = ["khieu_nai_da_giai_quyet", "Khiếu nại đã giải quyết"],
        [StaffOnDuty] = ["nhan_luc_truc", "Nhân lực trực"],
        [Note] = ["ghi_chu", "Ghi chú"],
    };

    private static readonly Dictionary<string, string> ByNormalizedName = BuildIndex();

    /// <summary>The canonical column a header names, or null for an unknown column.</summary>
    public static string? Match(string header) => ByNormalizedName.GetValueOrDefault(NormalizeHeader(header));

    /// <summary>
    /// "Ngày báo cáo", "NGAY-BAO-CAO" and "ngay_bao_cao" all become "ngay_bao_cao": Unicode-normalised,
    /// diacritics removed (đ → d), lower case, runs of spaces, underscores and hyphens folded into one '_'.
    /// </summary>
    public static string NormalizeHeader(string header)
    {
        var decomposed = UnicodeText.Normalize(header.Trim().Trim('\uFEFF'), NormalizationForm.FormD);
        var result = new StringBuilder(decomposed.Length);
        var pendingSeparator = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
                continue;
            if (c is ' ' or '_' or '-' or '\t' or '\u00A0')
            {
                pendingSeparator = result.Length > 0;
                continue;
            }
            if (pendingSeparator)
            {
                result.Append('_');
                pendingSeparator = false;
            }
            result.Append(c switch { 'đ' or 'Đ' => 'd', _ => char.ToLowerInvariant(c) });
        }
        return result.ToString();
    }

    private static Dictionary<string, string> BuildIndex()
    {
        var index = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (canonical, aliases) in Aliases)
        {
            index[NormalizeHeader(canonical)] = canonical;
            foreach (var alias in aliases)
                index[NormalizeHeader(alias)] = canonical;
        }
        return index;
    }
}
