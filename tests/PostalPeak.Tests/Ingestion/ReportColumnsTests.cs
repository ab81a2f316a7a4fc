using PostalPeak.Ingestion;

namespace PostalPeak.Tests.Ingestion;

public sealed class ReportColumnsTests
{
    [Theory]
    [InlineData("report_date", "report_date")]
    [InlineData("Ngày báo cáo", "report_date")]
    [InlineData("NGAY-BAO-CAO", "report_date")]
    [InlineData("  ngay  bao_cao ", "report_date")]
    [InlineData("Mã đơn vị", "unit_code")]
    [InlineData("MA_HUYEN", "unit_code")]
    [InlineData("Mã DN", "carrier_code")]
    [InlineData("Sản lượng nhận", "received")]
    [InlineData("Phát thành công", "delivered")]
    [InlineData("Tồn đọng cuối ngày", "backlog")]
    [InlineData("khieu-nai-da-giai-quyet", "complaints_resolved")]
    [InlineData("\uFEFFngay", "report_date")]
    public void MatchesHeadersWhateverTheirCaseDiacriticsAndSeparators(string header, string canonical) =>
        Assert.Equal(canonical, ReportColumns.Match(header));

    [Fact]
    public void MatchesDecomposedUnicodeAsWellAsComposed() =>
        Assert.Equal("report_date", ReportColumns.Match("Ngày báo cáo".Normalize(System.Text.NormalizationForm.FormD)));

    [Fact]
    public void ReturnsNullForAnUnknownColumn() => Assert.Null(ReportColumns.Match("weather"));

    [Fact]
    public void NoAliasNamesTwoColumns()
    {
        var all = ReportColumns.Aliases.SelectMany(pair => pair.Value.Append(pair.Key).Select(alias => (Normalized: ReportColumns.NormalizeHeader(alias), Column: pair.Key)));
        var clashes = all.GroupBy(a => a.Normalized).Where(g => g.Select(a => a.Column).Distinct().Count() > 1).Select(g => g.Key);
        Assert.Empty(clashes);
    }
}
