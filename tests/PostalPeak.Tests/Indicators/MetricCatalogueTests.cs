using System.Globalization;
using PostalPeak.Indicators;
using PostalPeak.Shell;

namespace PostalPeak.Tests.Indicators;

public sealed class MetricCatalogueTests
{
    public static TheoryData<string> Languages => new() { "vi", "en" };

    [Theory]
    [MemberData(nameof(Languages))]
    public void EveryMetricHasANameADefinitionAndAnAxisLabelThatAreNotItsCode(string language)
    {
        var t = Translations.In(language);

        Assert.All(MetricCatalogue.All, metric =>
        {
            foreach (var text in new[] { metric.Name(t), metric.Definition(t), metric.Axis(t) })
            {
                Assert.False(string.IsNullOrWhiteSpace(text), metric.Code);
                Assert.NotEqual(metric.Code, text);
                if (metric.Code.Contains('_', StringComparison.Ordinal))
                    Assert.DoesNotContain(metric.Code, text, StringComparison.Ordinal);
                Assert.DoesNotContain("Metric.", text, StringComparison.Ordinal);
            }
            // A definition is a sentence a person can read, not a label.
            Assert.EndsWith(".", metric.Definition(t), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void TheVietnameseAndEnglishNamesDiffer()
    {
        var vi = Translations.In("vi");
        var en = Translations.In("en");

        Assert.All(MetricCatalogue.All, metric => Assert.NotEqual(metric.Name(vi), metric.Name(en)));
    }

    [Fact]
    public void TheThroughputRatioSaysItsWindowInItsNameAndDefinition()
    {
        var vi = Translations.In("vi");
        var en = Translations.In("en");

        Assert.Contains("3 ngày", MetricCatalogue.ThroughputRatio.Name(vi), StringComparison.Ordinal);
        Assert.Contains("3 ngày", MetricCatalogue.ThroughputRatio.Definition(vi), StringComparison.Ordinal);
        Assert.Contains("three days", MetricCatalogue.ThroughputRatio.Definition(en), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void EveryMetricHasAFormulaAndAWindowInPlainWords(string language)
    {
        var t = Translations.In(language);

        Assert.All(MetricCatalogue.All, metric =>
        {
            foreach (var text in new[] { metric.Formula(t), metric.Window(t) })
            {
                Assert.False(string.IsNullOrWhiteSpace(text), metric.Code);
                Assert.DoesNotContain("Metric.", text, StringComparison.Ordinal);
                if (metric.Code.Contains('_', StringComparison.Ordinal))
                    Assert.DoesNotContain(metric.Code, text, StringComparison.Ordinal);
                Assert.EndsWith(".", text, StringComparison.Ordinal);
            }
        });
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void AMetricOverATrailingWindowHasANameAndDefinitionForEachReadingAndTheOthersKeepTheirOne(string language)
    {
        var t = Translations.In(language);

        Assert.Equal(["throughput_ratio", "days_to_clear", "complaints_per_10k"],
            MetricCatalogue.All.Where(m => m.ReadsDifferentlyOverAPeriod).Select(m => m.Code));
        Assert.All(MetricCatalogue.All, metric =>
        {
            var names = Enum.GetValues<MetricReading>().Select(r => metric.Name(t, r)).ToList();
            if (metric.ReadsDifferentlyOverAPeriod)
            {
                Assert.Equal(3, names.Distinct().Count());
                Assert.NotEqual(metric.Definition(t, MetricReading.Day), metric.Definition(t, MetricReading.Season));
                Assert.All(names, name => Assert.StartsWith(metric.Name(t).Split(" (")[0], name, StringComparison.Ordinal));
                Assert.All(names, name => Assert.DoesNotContain("Metric.", name, StringComparison.Ordinal));
            }
            else
            {
                Assert.All(names, name => Assert.Equal(metric.Name(t), name));
            }
        });
    }

    [Fact]
    public void ADayRowIsTheDayReadingAPhaseRowThePhasesAndAPeriodWithoutPhaseTheSeasons()
    {
        var day = new DateOnly(2026, 2, 5);

        Assert.Equal(MetricReading.Day, MetricCatalogue.ReadingOf(new IndicatorRow { ReportDate = day, Phase = "peak", FirstDate = day, LastDate = day }));
        Assert.Equal(MetricReading.Phase, MetricCatalogue.ReadingOf(new IndicatorRow { Phase = "peak", FirstDate = day.AddDays(-20), LastDate = day }));
        Assert.Equal(MetricReading.Season, MetricCatalogue.ReadingOf(new IndicatorRow { Season = 2026, FirstDate = day.AddDays(-20), LastDate = day }));
    }

    [Fact]
    public void CodesAreFoundWhateverTheirCaseAndUnknownCodesAreNot()
    {
        Assert.Same(MetricCatalogue.DaysToClear, MetricCatalogue.Find("DAYS_TO_CLEAR"));
        Assert.Same(MetricCatalogue.Closing, MetricCatalogue.Find(" closing "));
        Assert.Null(MetricCatalogue.Find("days to clear"));
        Assert.Null(MetricCatalogue.Find(null));
        Assert.Throws<ArgumentOutOfRangeException>(() => MetricCatalogue.Get("nope"));
    }

    [Fact]
    public void EveryIndicatorMetricIsAnApiFieldOfTheIndicatorRow()
    {
        var fields = typeof(IndicatorRow).GetProperties()
            .Select(p => p.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonPropertyNameAttribute), false)
                .Cast<System.Text.Json.Serialization.JsonPropertyNameAttribute>().FirstOrDefault()?.Name
                ?? System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name))
            .ToHashSet();

        Assert.All(MetricCatalogue.Indicators, metric => Assert.Contains(metric.Code, fields));
    }

    [Fact]
    public void ValuesReadTheReadersWay()
    {
        var vi = CultureInfo.GetCultureInfo("vi-VN");
        var en = CultureInfo.GetCultureInfo("en-US");

        Assert.Equal("11.600", MetricCatalogue.Closing.Format(11600, vi));
        Assert.Equal("11,600", MetricCatalogue.Closing.Format(11600, en));
        Assert.Equal("8,5", MetricCatalogue.DaysToClear.Format(8.5, vi));
        Assert.Equal("–", MetricCatalogue.DaysToClear.Format(null, vi));
        Assert.StartsWith("93", MetricCatalogue.ThroughputRatio.Format(0.93, vi), StringComparison.Ordinal);
        Assert.Contains("%", MetricCatalogue.ThroughputRatio.Format(0.93, vi), StringComparison.Ordinal);
    }

    [Fact]
    public void TranslationsInALanguageIgnoreTheThreadsCulture()
    {
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-US");
            Assert.Equal("Số ngày giải tỏa", MetricCatalogue.DaysToClear.Name(Translations.In("vi")));
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("vi-VN");
            Assert.Equal("Days to clear", MetricCatalogue.DaysToClear.Name(Translations.In("en")));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
