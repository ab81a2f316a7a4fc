using PostalPeak.Dashboard;
using PostalPeak.Indicators;
using PostalPeak.Shell;

namespace PostalPeak.Tests.Dashboard;

public sealed class ChartTextTests
{
    [Fact]
    public void ASeasonWhoseRowsAllLackTheMetricIsDescribedAsHavingNoFigures()
    {
        var t = Translations.In("vi");
        IndicatorRow[] rows = [new() { Season = 2026, TetOffset = -3, Received = 100 }, new() { Season = 2026, TetOffset = -2, Received = 120 }];

        var text = ChartText.Compare(t, MetricCatalogue.Closing.Code, "HOATOC", rows);

        Assert.Equal(t["Dashboard.NoFiguresAlt", MetricCatalogue.Closing.Name(t)].Value, text);
    }

    [Fact]
    public void TheSeasonComparisonNamesEachSeasonsHighestValueAndItsDayFromTet()
    {
        var t = Translations.In("en");
        IndicatorRow[] rows =
        [
            new() { Season = 2025, TetOffset = -3, Closing = 500 },
            new() { Season = 2025, TetOffset = -1, Closing = 1200 },
            new() { Season = 2026, TetOffset = -2 },
        ];

        var text = ChartText.Compare(t, MetricCatalogue.Closing.Code, "HOATOC", rows);

        Assert.Contains(MetricCatalogue.Closing.Name(t), text, StringComparison.Ordinal);
        Assert.Contains("T-1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("2026", text, StringComparison.Ordinal);
    }
}
