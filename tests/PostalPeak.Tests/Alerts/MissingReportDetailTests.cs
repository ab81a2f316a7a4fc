using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Accounts;
using PostalPeak.Alerts;
using PostalPeak.Tests.Indicators;

namespace PostalPeak.Tests.Alerts;

/// <summary>
/// A missing report has no indicator behind it: its detail shows the carrier's report days around the episode instead.
/// Season 2024: Tết is 10 February, the season runs from 11 January to 25 February.
/// </summary>
public sealed class MissingReportDetailTests
{
    private static async Task<(TestApp App, long AlertId)> AppWithMissingReportAsync(IEnumerable<string> reportedDays, long lostOnLastDay = 0)
    {
        var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddUserAsync("analyst", Roles.Analyst);
        var days = reportedDays.ToList();
        var csv = new StringBuilder("report_date,unit_code,received,delivered,lost\n");
        foreach (var day in days)
            csv.Append(CultureInfo.InvariantCulture, $"{day},380,1000,1000,{(day == days[^1] ? lostOnLastDay : 0)}\n");
        Assert.Equal("accepted", (await IndicatorTestData.IngestAsync(app, "ALPHA", csv.ToString())).Status);
        await app.Services.GetRequiredService<AlertEvaluator>().EvaluateCarrierAsync(1, CancellationToken.None);
        await using var connection = await app.Db.OpenConnectionAsync();
        var id = await connection.QuerySingleAsync<long>("select a.id from alert a join alert_rule r on r.id = a.rule_id where r.code = 'missing_report'");
        return (app, id);
    }

    private static IEnumerable<string> Days(string from, string to)
    {
        for (var day = DateOnly.Parse(from, CultureInfo.InvariantCulture); day <= DateOnly.Parse(to, CultureInfo.InvariantCulture); day = day.AddDays(1))
            yield return day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private static List<string> Series(JsonElement detail) =>
        detail.GetProperty("series").EnumerateArray()
            .Select(p => $"{p.GetProperty("report_date").GetString()} {p.GetProperty("value").GetDouble().ToString(CultureInfo.InvariantCulture)} {(p.GetProperty("reported").GetBoolean() ? "reported" : "missing")}")
            .ToList();

    [Fact]
    public async Task TheApiShowsTheReportDaysFromAWeekBeforeTheEpisodeToTheDayItResolved()
    {
        // Reported every day from 29 January to 6 February, nothing on the 7th and 8th, again on the 9th.
        var (app, id) = await AppWithMissingReportAsync([.. Days("2024-01-29", "2024-02-06"), "2024-02-09"], lostOnLastDay: 9);
        await using var _ = app;
        using var analyst = await app.SignedInClientAsync("analyst");
        await using var connection = await app.Db.OpenConnectionAsync();
        var lostId = await connection.QuerySingleAsync<long>("select a.id from alert a join alert_rule r on r.id = a.rule_id where r.code = 'lost_parcels'");

        var detail = await analyst.GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{id}");
        var lost = await analyst.GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{lostId}");

        Assert.Equal(("2024-02-07", "2024-02-08", "2024-02-09"), (detail.GetProperty("alert").GetProperty("started_on").GetString(),
            detail.GetProperty("alert").GetProperty("last_held_on").GetString(), detail.GetProperty("alert").GetProperty("resolved_on").GetString()));
        Assert.Equal([.. Days("2024-01-31", "2024-02-06").Select(d => $"{d} 0 reported"), "2024-02-07 1 missing", "2024-02-08 1 missing", "2024-02-09 0 reported"],
            Series(detail));
        // Other metrics keep their series as it was: the indicator's values, nothing about reports.
        var point = Assert.Single(lost.GetProperty("series").EnumerateArray(), p => p.GetProperty("report_date").GetString() == "2024-02-09");
        Assert.Equal(9, point.GetProperty("value").GetDouble());
        Assert.False(point.TryGetProperty("reported", out JsonElement _));
    }

    [Fact]
    public async Task TheDaysShownAreSeasonDaysFromTheCarriersFirstReportOnly()
    {
        // The first report is on 8 January, before the season opens on the 11th; the 13th is missing.
        var (app, id) = await AppWithMissingReportAsync([.. Days("2024-01-08", "2024-01-12"), "2024-01-14"]);
        await using var _ = app;
        using var analyst = await app.SignedInClientAsync("analyst");

        var detail = await analyst.GetFromJsonAsync<JsonElement>($"/api/v1/alerts/{id}");

        Assert.Equal(["2024-01-11 0 reported", "2024-01-12 0 reported", "2024-01-13 1 missing", "2024-01-14 0 reported"], Series(detail));
    }

    [Fact]
    public async Task TheDetailPageListsEachDayAsReportedOrMissing()
    {
        var (app, id) = await AppWithMissingReportAsync([.. Days("2024-01-29", "2024-02-06"), "2024-02-09"]);
        await using var _ = app;
        using var analyst = await app.SignedInClientAsync("analyst");

        var page = await analyst.GetStringAsync($"/alerts/{id}");
        var english = await analyst.GetStringAsync($"/alerts/{id}?culture=en-US");

        Assert.Contains("data-test=\"alert-report-days\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-test=\"alert-series\"", page, StringComparison.Ordinal);
        Assert.Equal(2, page.Split("data-report=\"missing\"").Length - 1);
        Assert.Equal(8, page.Split("data-report=\"reported\"").Length - 1);
        Assert.Contains("<td>07/02/2024</td>", page, StringComparison.Ordinal);
        Assert.Contains("Chưa báo cáo", page, StringComparison.Ordinal);
        Assert.Contains("Đã gửi báo cáo", page, StringComparison.Ordinal);
        Assert.Contains("Reports day by day", english, StringComparison.Ordinal);
        Assert.Contains(">Missing</td>", english, StringComparison.Ordinal);
    }
}
