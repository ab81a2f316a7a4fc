using System.Globalization;
using PostalPeak.Alerts;
using PostalPeak.Shell;

namespace PostalPeak.Tests.Alerts;

public sealed class AlertTextTests
{
    [Fact]
    public void AConditionReadsAsTheMetricsNameTheComparisonAndTheThresholdTheReadersWay()
    {
        var vi = Translations.In("vi");
        var en = Translations.In("en");

        Assert.Equal("Số ngày giải tỏa > 8", AlertText.Condition(vi, "days_to_clear", ">", 8, Translations.Vietnamese));
        Assert.Equal("Days to clear > 8.5", AlertText.Condition(en, "days_to_clear", ">", 8.5, Translations.English));
        var ratio = AlertText.Condition(vi, "throughput_ratio", "<=", 0.7, Translations.Vietnamese);
        Assert.StartsWith("Tỷ lệ phát/nhận (3 ngày) ≤ 70", ratio, StringComparison.Ordinal);
        Assert.EndsWith("%", ratio, StringComparison.Ordinal);
        Assert.Equal("Thất lạc/10.000 bưu gửi ≥ 1.234,5", AlertText.Condition(vi, "loss_per_10k", ">=", 1234.5, Translations.Vietnamese));
    }

    [Theory]
    [InlineData("info")]
    [InlineData("warning")]
    [InlineData("critical")]
    public void EverySeverityHasANameInBothLanguagesThatIsNotItsCode(string severity)
    {
        Assert.Contains(severity, AlertRules.Severities);
        foreach (var t in new[] { Translations.In("vi"), Translations.In("en") })
        {
            var name = AlertText.Severity(t, severity);
            Assert.NotEqual(severity, name);
            Assert.DoesNotContain("Alerts.", name, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("open")]
    [InlineData("firing")]
    [InlineData("pending")]
    [InlineData("resolved")]
    public void EveryAlertStateHasANameInBothLanguagesThatIsNotItsCode(string state)
    {
        foreach (var t in new[] { Translations.In("vi"), Translations.In("en") })
        {
            var name = AlertText.State(t, state);
            Assert.NotEqual(state, name);
            Assert.DoesNotContain("Alerts.", name, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ARulesNameFollowsTheReadersLanguage()
    {
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = Translations.English;
            var english = AlertText.RuleName("Tồn đọng lâu mới giải tỏa được", "Backlog slow to clear");
            CultureInfo.CurrentUICulture = Translations.Vietnamese;
            var vietnamese = AlertText.RuleName("Tồn đọng lâu mới giải tỏa được", "Backlog slow to clear");

            Assert.Equal("Backlog slow to clear", english);
            Assert.Equal("Tồn đọng lâu mới giải tỏa được", vietnamese);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public void PhaseOverridesReadAsPhaseNamesWithTheThresholdTheReadersWay()
    {
        var before = CultureInfo.CurrentCulture;
        var beforeUi = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("vi-VN");
            PhaseOverride[] phases = [new("holiday", true, null), new("run_up", false, 0.55)];

            var text = AlertText.Phases(Translations.In("vi"), "throughput_ratio", phases);

            Assert.Equal("Nghỉ Tết: tắt; Cận Tết: " + 0.55.ToString("P0", CultureInfo.GetCultureInfo("vi-VN")), text);
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
            CultureInfo.CurrentUICulture = beforeUi;
        }
    }
}
