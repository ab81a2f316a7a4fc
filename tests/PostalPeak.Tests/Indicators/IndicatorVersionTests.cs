using System.Text.Json;
using System.Text.RegularExpressions;
using PostalPeak.Accounts;

namespace PostalPeak.Tests.Indicators;

/// <summary>GET /api/v1/indicators/version tells a carrier when its own figures changed, and staff when any did.</summary>
public sealed partial class IndicatorVersionTests
{
    private const string Day = "report_date,unit_code,received,delivered\n2024-01-20,380,100,90\n";

    private static async Task<long> VersionAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/indicators/version")).GetProperty("version").GetInt64();

    /// <summary>The version the overview was drawn with, which its script compares the API's answer with.</summary>
    private static async Task<long> DashboardVersionAsync(HttpClient client) =>
        long.Parse(DashboardVersion().Match(await client.GetStringAsync("/dashboard")).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task AnotherCarriersUploadDoesNotMoveACarriersVersionButMovesTheDepartments()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("HOATOC");
        await app.AddCarrierAsync("LAMSON");
        await app.AddUserAsync("hoatoc.manager", Roles.CarrierManager, "HOATOC");
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var hoatoc = app.Client(await app.CreateTokenAsync("HOATOC"));
        using var lamson = app.Client(await app.CreateTokenAsync("LAMSON"));
        using var manager = await app.SignedInClientAsync("hoatoc.manager");
        using var analyst = await app.SignedInClientAsync("analyst");
        var (hoatocBefore, lamsonBefore, staffBefore) = (await VersionAsync(hoatoc), await VersionAsync(lamson), await VersionAsync(analyst));

        await IndicatorTestData.IngestAsync(app, "LAMSON", Day);
        var (hoatocAfterLamson, lamsonAfterLamson, staffAfterLamson) = (await VersionAsync(hoatoc), await VersionAsync(lamson), await VersionAsync(analyst));
        await IndicatorTestData.IngestAsync(app, "HOATOC", Day);

        Assert.Equal(hoatocBefore, hoatocAfterLamson);
        Assert.NotEqual(lamsonBefore, lamsonAfterLamson);
        Assert.NotEqual(staffBefore, staffAfterLamson);
        Assert.NotEqual(hoatocAfterLamson, await VersionAsync(hoatoc));
        Assert.NotEqual(staffAfterLamson, await VersionAsync(analyst));
        // Each overview is drawn with the version its own reader is told, so it reloads once, when that moves.
        Assert.Equal(await VersionAsync(manager), await DashboardVersionAsync(manager));
        var staffPage = await DashboardVersionAsync(analyst);
        Assert.Equal(await VersionAsync(analyst), staffPage);
        await IndicatorTestData.IngestAsync(app, "LAMSON", "report_date,unit_code,received,delivered\n2024-01-21,380,100,90\n");
        Assert.NotEqual(staffPage, await VersionAsync(analyst));
    }

    [GeneratedRegex("data-version=\"(\\d+)\"")]
    private static partial Regex DashboardVersion();
}
