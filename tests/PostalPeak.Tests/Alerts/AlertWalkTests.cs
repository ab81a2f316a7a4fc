using PostalPeak.Alerts;

namespace PostalPeak.Tests.Alerts;

public sealed class AlertWalkTests
{
    private static readonly DateOnly Start = new(2026, 2, 1);

    /// <summary>Days from <see cref="Start"/>: a number is the value, null a day without data, "m" a muted day.</summary>
    private static List<AlertDay> Days(params object?[] values) =>
        values.Select((v, i) => v switch
        {
            "m" => new AlertDay(Start.AddDays(i), 99, null),
            null => new AlertDay(Start.AddDays(i), null, 10),
            _ => new AlertDay(Start.AddDays(i), Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture), 10),
        }).ToList();

    private static string Describe(IEnumerable<AlertEpisode> episodes) => string.Join("; ", episodes.Select(e =>
        $"{e.StartedOn.Day}-{e.FiringOn?.Day.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "_"}-{e.ResolvedOn?.Day.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "_"} {e.State}"));

    [Fact]
    public void AnEpisodeIsPendingThenFiresAfterForDaysThenResolves()
    {
        var episodes = AlertWalk.Episodes(Days(1, 20, 20, 20, 1), ">", forDays: 3, keepFiringForDays: 0);

        Assert.Equal("2-4-5 resolved", Describe(episodes));
    }

    [Fact]
    public void APendingEpisodeThatStopsHoldingEndsWithoutFiring()
    {
        var episodes = AlertWalk.Episodes(Days(20, 20, 1, 20), ">", forDays: 3, keepFiringForDays: 2);

        Assert.Equal("1-_-3 resolved; 4-_-_ pending", Describe(episodes));
    }

    [Fact]
    public void OneGoodDayInsideKeepFiringForDoesNotResolve()
    {
        var episodes = AlertWalk.Episodes(Days(20, 1, 20, 1, 1, 20), ">", forDays: 1, keepFiringForDays: 1);

        Assert.Equal("1-1-5 resolved; 6-6-_ firing", Describe(episodes));
    }

    [Fact]
    public void WithoutKeepFiringForEveryGoodDayResolvesAndTheNextBadDayFiresAgain()
    {
        var episodes = AlertWalk.Episodes(Days(20, 1, 20), ">", forDays: 1, keepFiringForDays: 0);

        Assert.Equal("1-1-2 resolved; 3-3-_ firing", Describe(episodes));
    }

    [Fact]
    public void GapsAndMutedDaysNeitherRaiseNorResolve()
    {
        var muted = AlertWalk.Episodes(Days("m", "m", "m"), ">", forDays: 1, keepFiringForDays: 0);
        var across = AlertWalk.Episodes(Days(20, null, "m", 20, 20), ">", forDays: 3, keepFiringForDays: 0);

        Assert.Empty(muted);
        // Three evaluated days in a row held, with a gap and a muted day between them.
        Assert.Equal("1-5-_ firing", Describe(across));
    }

    [Theory]
    [InlineData(">", 10, false)]
    [InlineData(">=", 10, true)]
    [InlineData("<", 9.99, true)]
    [InlineData("<=", 10.01, false)]
    public void ComparisonsFollowTheirSymbols(string comparison, double value, bool holds) =>
        Assert.Equal(holds, AlertWalk.Holds(comparison, value, 10));

    [Fact]
    public void ThePhaseThresholdOfEachDayApplies()
    {
        var days = new List<AlertDay> { new(Start, 4, 3), new(Start.AddDays(1), 4, 5), new(Start.AddDays(2), 6, 5) };

        Assert.Equal("1-1-2 resolved; 3-3-_ firing", Describe(AlertWalk.Episodes(days, ">", 1, 0)));
    }

    [Fact]
    public void AnOpenEpisodeEndsTheDayAfterItsUnitsLastReportOnceItsCarrierReportedAWeekWithoutIt()
    {
        var days = Days(1, 20, 20);
        var carrierLast = Start.AddDays(2);

        var stillThere = AlertWalk.Episodes(days, ">", 1, 0);
        var aWeekLater = AlertWalk.Episodes(days, ">", 1, 0);
        var eightDaysLater = AlertWalk.Episodes(days, ">", 1, 0);

        Assert.False(AlertWalk.EndIfGone(stillThere, days[^1].Date, carrierLast, afterDays: 7));
        Assert.False(AlertWalk.EndIfGone(aWeekLater, days[^1].Date, carrierLast.AddDays(7), afterDays: 7));
        Assert.True(AlertWalk.EndIfGone(eightDaysLater, days[^1].Date, carrierLast.AddDays(8), afterDays: 7));
        Assert.Equal("2-2-_ firing", Describe(aWeekLater));
        Assert.Equal("2-2-4 resolved", Describe(eightDaysLater));
    }
}
