using System.Net;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Accounts;

namespace PostalPeak.Tests.Dashboard;

/// <summary>A season, carrier or unit nobody has is a missing page that says what is missing, never another one's figures.</summary>
public sealed class UnknownStateTests
{
    /// <summary>Every page that takes a season, asked for one outside the calendar.</summary>
    private static readonly string[] SeasonPages =
    [
        "/dashboard", "/series", "/heatmap", "/summary", "/indicators", "/calendar", "/calendar/edit", "/compare", "/duty/roster", "/duty/roster/edit",
    ];

    /// <summary>Every page that names a carrier in its query or its address, asked for a code nobody has.</summary>
    private static readonly string[] CarrierPages =
    [
        "/series?carrier=NOPE", "/heatmap?carrier=NOPE", "/compare?carrier=NOPE", "/incidents?carrier=NOPE", "/duty/roster/edit?carrier=NOPE",
        "/carriers/NOPE/uploads", "/carriers/NOPE/contacts", "/carriers/NOPE/service-units", "/carriers/NOPE/tokens",
    ];

    private static async Task<(HttpStatusCode Status, string Text)> ReadAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    private static string WithQuery(string url, string query) => url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query;

    [Fact]
    public async Task ASeasonOutsideTheCalendarIsAMissingPageThatNamesTheSeasonsThereAreInBothLanguages()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", Roles.Admin);
        using var admin = await app.SignedInClientAsync("admin");
        var years = string.Join(", ", (await app.Services.GetRequiredService<PostalPeak.Calendar.Seasons>().ListAsync()).Select(s => s.Year));
        Assert.StartsWith("2023, ", years, StringComparison.Ordinal);

        foreach (var page in SeasonPages)
        {
            var (status, text) = await ReadAsync(admin, page + "?season=2030");
            Assert.True(status == HttpStatusCode.NotFound, $"{page}?season=2030 answered {status}.");
            Assert.Contains($"Không có mùa Tết 2030. Các mùa có: {years}.", text, StringComparison.Ordinal);
            var (englishStatus, english) = await ReadAsync(admin, page + "?season=2030&culture=en-US");
            Assert.Equal(HttpStatusCode.NotFound, englishStatus);
            Assert.Contains($"There is no season 2030. The seasons are: {years}.", english, StringComparison.Ordinal);
        }
        // A comparison names each season: one outside the calendar among good ones is refused too.
        Assert.Equal(HttpStatusCode.NotFound, (await ReadAsync(admin, "/compare?season=2025&season=2030")).Status);

        // A season that exists is shown under its own year.
        foreach (var page in SeasonPages)
        {
            var (status, text) = await ReadAsync(admin, page + "?season=2024");
            Assert.True(status == HttpStatusCode.OK, $"{page}?season=2024 answered {status}.");
            Assert.DoesNotContain("Không có mùa Tết", text, StringComparison.Ordinal);
        }
        Assert.Contains("value=\"2024\"", (await ReadAsync(admin, "/dashboard?season=2024")).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACarrierOrUnitNobodyHasIsAMissingPageThatSaysSoInTheReadersLanguage()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("OWN");
        await app.AddUserAsync("admin", Roles.Admin);
        using var admin = await app.SignedInClientAsync("admin");

        foreach (var page in CarrierPages)
        {
            var (status, text) = await ReadAsync(admin, page);
            Assert.True(status == HttpStatusCode.NotFound, $"{page} answered {status}.");
            Assert.Contains("Không có doanh nghiệp mã NOPE.", text, StringComparison.Ordinal);
            Assert.DoesNotContain("NOPE ·", text, StringComparison.Ordinal);
            var (englishStatus, english) = await ReadAsync(admin, WithQuery(page, "culture=en-US"));
            Assert.Equal(HttpStatusCode.NotFound, englishStatus);
            Assert.Contains("No carrier with code NOPE.", english, StringComparison.Ordinal);
        }
        foreach (var page in new[] { "/series?unit=NOPE99", "/compare?unit=NOPE99" })
        {
            var (status, text) = await ReadAsync(admin, page);
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Contains("Không có đơn vị mã NOPE99.", text, StringComparison.Ordinal);
            Assert.Contains("No unit with code NOPE99.", (await ReadAsync(admin, page + "&culture=en-US")).Text, StringComparison.Ordinal);
        }

        // A carrier that exists, with no figures yet, is still its page.
        Assert.Equal(HttpStatusCode.OK, (await ReadAsync(admin, "/series?carrier=OWN")).Status);
        Assert.Equal(HttpStatusCode.OK, (await ReadAsync(admin, "/carriers/OWN/uploads")).Status);
    }

    [Fact]
    public async Task ACarrierManagerHearsTheSameForAMissingCarrierAsForAnotherOne()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("OWN");
        await app.AddCarrierAsync("OTHER");
        await app.AddUserAsync("manager", Roles.CarrierManager, "OWN");
        using var manager = await app.SignedInClientAsync("manager");

        foreach (var page in CarrierPages)
        {
            var missing = await ReadAsync(manager, page);
            var other = await ReadAsync(manager, page.Replace("NOPE", "OTHER", StringComparison.Ordinal));
            Assert.True(missing.Status == other.Status, $"{page}: {missing.Status} for a missing carrier, {other.Status} for another's.");
            Assert.NotEqual(HttpStatusCode.OK, missing.Status);
            Assert.DoesNotContain("Không có doanh nghiệp mã", missing.Text, StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.OK, (await ReadAsync(manager, "/series?carrier=OWN")).Status);
    }
}
