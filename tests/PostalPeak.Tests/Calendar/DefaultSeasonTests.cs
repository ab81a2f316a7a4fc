using PostalPeak.Calendar;
using PostalPeak.Tests.Indicators;

namespace PostalPeak.Tests.Calendar;

/// <summary>Which season the analysis pages open on when the address names none.</summary>
public sealed class DefaultSeasonTests
{
    private static readonly DateTime LateNovember2026 = new(2026, 11, 29, 3, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task WithoutAnyReportTheComingSeasonIsMeant()
    {
        await using var app = await TestApp.StartAsync();

        Assert.Equal(2027, await Seasons.DefaultYearAsync(app.Db, LateNovember2026, null, CancellationToken.None));
    }

    [Fact]
    public async Task BeforeTheComingSeasonsFirstReportTheLatestSeasonWithReportsIsMeant()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await IndicatorTestData.IngestAsync(app, "ALPHA", "report_date,unit_code,received,delivered,backlog\n2024-02-01,380,100,90,10\n");

        Assert.Equal(2024, await Seasons.DefaultYearAsync(app.Db, LateNovember2026, null, CancellationToken.None));
    }

    [Fact]
    public async Task OnceTheComingSeasonHasAReportItIsMeant()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await IndicatorTestData.IngestAsync(app, "ALPHA", "report_date,unit_code,received,delivered,backlog\n2024-02-01,380,100,90,10\n");
        var beforeFirstReport = await Seasons.DefaultYearAsync(app.Db, new DateTime(2026, 1, 19, 3, 0, 0, DateTimeKind.Utc), null, CancellationToken.None);
        // 20 January 2026 lies in the 2026 season (Tết 17 February 2026, window from 18 January).
        await IndicatorTestData.IngestAsync(app, "ALPHA", "report_date,unit_code,received,delivered,backlog\n2026-01-20,14758,100,90,10\n", "jan.csv");

        Assert.Equal(2024, beforeFirstReport);
        Assert.Equal(2026, await Seasons.DefaultYearAsync(app.Db, new DateTime(2026, 1, 21, 3, 0, 0, DateTimeKind.Utc), null, CancellationToken.None));
    }

    [Fact]
    public async Task ACarriersReaderOpensOnTheLatestSeasonItsOwnCarrierReportedIn()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddCarrierAsync("BETA");
        await IndicatorTestData.IngestAsync(app, "ALPHA", "report_date,unit_code,received,delivered,backlog\n2024-02-01,380,100,90,10\n");
        await IndicatorTestData.IngestAsync(app, "BETA", "report_date,unit_code,received,delivered,backlog\n2026-01-20,14758,100,90,10\n", "beta.csv");
        await app.AddUserAsync("alpha", PostalPeak.Accounts.Roles.CarrierManager, "ALPHA");
        using var alpha = await app.SignedInClientAsync("alpha");

        var page = await alpha.GetStringAsync("/indicators");

        Assert.Equal(2024, await Seasons.DefaultYearAsync(app.Db, LateNovember2026, "ALPHA", CancellationToken.None));
        Assert.Equal(2026, await Seasons.DefaultYearAsync(app.Db, LateNovember2026, null, CancellationToken.None));
        Assert.Contains("season=2024&amp;groupBy=day", page, StringComparison.Ordinal);
    }
}
