using PostalPeak.Accounts;

namespace PostalPeak.Tests.Calendar;

public sealed class CalendarPageTests
{
    [Fact]
    public async Task TheCalendarShowsEverySeasonDayWithItsLunarLabelAndMarksTet()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var client = await app.SignedInClientAsync("analyst");

        var page = await client.GetStringAsync("/calendar?season=2027");
        var english = await client.GetStringAsync("/calendar?season=2027&culture=en-US");

        // Tết 2027 is Saturday 6 February; the window runs from 7 January to 21 February.
        Assert.Contains("06/02/2027", page, StringComparison.Ordinal);
        Assert.Equal(46, page.Split("class=\"solar\"").Length - 1);
        Assert.Contains("class=\"phase-holiday tet\"", page, StringComparison.Ordinal);
        Assert.Contains("Mùng 1 Tết", page, StringComparison.Ordinal);
        Assert.Contains("29 tháng Chạp", page, StringComparison.Ordinal);
        Assert.Contains("Cận Tết", page, StringComparison.Ordinal);
        Assert.Contains("Run-up", english, StringComparison.Ordinal);
    }
}
