using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using PostalPeak.Tests.Infrastructure;

namespace PostalPeak.Tests.Demo;

/// <summary>
/// The `demo` command as a newcomer runs it: the real executable loads the committed sample seasons through
/// the ingestion jobs, prints its accounts and address, and the browser lands on figures and firing alerts. The same
/// run checks the scripted incident reports and the duty rosters the demo adds, and a second start that adds nothing.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed partial class DemoInBrowserTests(Infrastructure.Browser browser) : IDisposable
{
    public void Dispose() => browser.AssertNoPolicyViolations();

    [Fact]
    public async Task TheDemoLoadsTheSampleSeasonsAndOpensOnChartsFiringAlertsAndTheMailbox()
    {
        await using var database = await TestApp.StartAsync();
        await using var demo = await ServedApp.StartAsync(new Dictionary<string, string> { ["ConnectionStrings__PostalPeak"] = database.ConnectionString },
            ["demo"], TimeSpan.FromMinutes(5));
        var accounts = demo.StartOutput.Select(line => Account().Match(line)).Where(m => m.Success)
            .ToDictionary(m => m.Groups["role"].Value, m => (User: m.Groups["user"].Value, Password: m.Groups["password"].Value));

        var page = await browser.NewPageAsync(demo.Url);
        await Infrastructure.Browser.SignInAsync(page, accounts["Analyst"].User, accounts["Analyst"].Password);
        await page.GotoAsync("/");
        var banner = await page.Locator("[data-test=demo]").InnerTextAsync();
        var firing = await page.Locator("[data-test=alerts-firing]").InnerTextAsync();
        await Infrastructure.Browser.ScreenshotAsync(page, "demo-landing", fullPage: false);
        await page.ClickAsync("[data-test=open-dashboard]");
        await page.Locator("[data-test=tiles]").WaitForAsync();
        var tiles = await page.Locator("[data-test=tiles] .tile").CountAsync();
        var firingOnDashboard = await page.Locator("[data-test=firing]").InnerTextAsync();
        var openIncidentIds = await page.Locator("[data-test=open-incidents] li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.id)");
        var openIncidents = await page.Locator("[data-test=open-incidents]").InnerTextAsync();
        var hoatocTile = await page.Locator("[data-carrier=HOATOC]").InnerTextAsync();
        var hoatocWorst = await page.Locator("[data-carrier=HOATOC] [data-test=tile-worst] a").GetAttributeAsync("href");
        // The chart is drawn on first request, after the page itself has arrived.
        await page.WaitForLoadStateAsync(Microsoft.Playwright.LoadState.Load);
        var chartLoaded = await page.Locator("[data-test=chart-backlog]").EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0");
        await Infrastructure.Browser.ScreenshotAsync(page, "demo-dashboard", fullPage: false);
        // The alerts' e-mails were queued while loading; the job server delivers them once the demo serves.
        var mails = 0;
        for (var attempt = 0; attempt < 60 && mails == 0; attempt++)
        {
            if (attempt > 0)
                await Task.Delay(1000);
            await page.GotoAsync("/admin/mailbox");
            mails = await page.Locator("[data-test=mail]").CountAsync();
        }
        var firstMail = await page.Locator("[data-test=mail] summary").First.InnerTextAsync();

        // The two scripted incidents, as the API, the incidents page and the indicators tell of them.
        using var incidents = JsonDocument.Parse(await (await page.Context.APIRequest.GetAsync("/api/v1/incidents?season=2026")).TextAsync());
        var byCarrier = incidents.RootElement.EnumerateArray().ToDictionary(i => i.GetProperty("carrier_code").GetString()!);
        var flood = byCarrier["HOATOC"];
        var seized = byCarrier["LAMSON"];
        var floodStart = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(flood.GetProperty("started_at").GetDateTimeOffset(), Vietnam).DateTime);
        var seizedStart = TimeZoneInfo.ConvertTime(seized.GetProperty("started_at").GetDateTimeOffset(), Vietnam);
        var floodUnit = Assert.Single(flood.GetProperty("unit_codes").EnumerateArray()).GetString()!;
        await page.GotoAsync("/incidents");
        var incidentLinks = await page.Locator("a[href^='/incidents/']").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        await page.GotoAsync($"/incidents/{flood.GetProperty("id").GetInt64()}");
        var floodTimeline = await page.Locator("[data-test=timeline]").InnerTextAsync();
        using var indicators = JsonDocument.Parse(await (await page.Context.APIRequest.GetAsync(
            $"/api/v1/indicators?season=2026&carrier=HOATOC&unit={floodUnit}&by=unit")).TextAsync());
        var backlog = indicators.RootElement.EnumerateArray().ToDictionary(
            r => DateOnly.ParseExact(r.GetProperty("report_date").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture), r => r.GetProperty("closing").GetInt64());
        // The department's notices are delivered by the job server once the demo serves, among the alerts' many e-mails,
        // so they are looked up in the local mailbox by the notice they came from rather than among the page's latest ones.
        var incidentMails = new List<string>();
        for (var attempt = 0; attempt < 180 && incidentMails.Count < 2; attempt++)
        {
            if (attempt > 0)
                await Task.Delay(1000);
            await using var connection = await database.Db.OpenConnectionAsync();
            incidentMails = (await connection.QueryAsync<string>("""
                select m.recipient || ' ' || m.subject || ' ' || m.body
                from local_mail m join notification n on n.id = m.notification_id
                where n.kind = 'incident_reported' order by m.id
                """)).AsList();
        }
        // The rosters: every carrier on every run-up and holiday day, but HAMRONG's Mùng 2.
        using var roster = JsonDocument.Parse(await (await page.Context.APIRequest.GetAsync("/api/v1/duty/roster?season=2026")).TextAsync());
        var covered = roster.RootElement.GetProperty("entries").EnumerateArray()
            .Select(e => (Carrier: e.GetProperty("carrier_code").GetString()!, Date: DateOnly.ParseExact(e.GetProperty("date").GetString()!, "yyyy-MM-dd",
                CultureInfo.InvariantCulture))).ToHashSet();
        var tet = new DateOnly(2026, 2, 17);
        var uncovered = (from carrier in new[] { "SAOKHUE", "LAMSON", "SONGMA", "HOATOC", "PHUONGDONG", "HAMRONG" }
                         from offset in Enumerable.Range(-7, 12)
                         where !covered.Contains((carrier, tet.AddDays(offset)))
                         select $"{carrier} {tet.AddDays(offset):dd/MM}").ToList();

        var manager = await browser.NewPageAsync(demo.Url);
        await Infrastructure.Browser.SignInAsync(manager, accounts["CarrierManager"].User, accounts["CarrierManager"].Password);
        await manager.GotoAsync("/alerts?state=firing");
        var managerAlerts = await manager.Locator("[data-test=alerts]").InnerTextAsync();

        Assert.Contains(demo.StartOutput, line => line.Contains("(100%)", StringComparison.Ordinal));
        Assert.Equal(["Admin", "Analyst", "CarrierManager"], accounts.Keys.Order(StringComparer.Ordinal));
        // The latest season stops four days before Tết 2026 (17 February), in the run-up.
        Assert.Contains("13/02/2026", banner, StringComparison.Ordinal);
        Assert.Matches(@"Cảnh báo đang diễn ra: [1-9]", firing);
        Assert.Equal(6, tiles);
        Assert.Contains("HOATOC", firingOnDashboard, StringComparison.Ordinal);
        Assert.Contains("LAMSON", firingOnDashboard, StringComparison.Ordinal);
        Assert.Matches("Cảnh báo đang diễn ra: [1-9]", hoatocTile);
        Assert.Matches("unit=(15448|15853)$", hoatocWorst);
        Assert.True(chartLoaded, "the province backlog chart did not load");
        Assert.True(mails > 0, "no e-mail reached the local mailbox");
        Assert.Contains(".example", firstMail, StringComparison.Ordinal);
        Assert.Contains("HOATOC", managerAlerts, StringComparison.Ordinal);
        Assert.DoesNotContain("LAMSON", managerAlerts, StringComparison.Ordinal);

        Assert.Equal(2, byCarrier.Count);
        Assert.Equal(("weather", "critical"), (flood.GetProperty("type").GetString(), flood.GetProperty("severity").GetString()));
        Assert.Equal(("prohibited_goods", "warning"), (seized.GetProperty("type").GetString(), seized.GetProperty("severity").GetString()));
        Assert.Equal(new DateOnly(2026, 2, 6), floodStart);
        Assert.Equal(new DateTimeOffset(2026, 2, 10, 8, 40, 0, TimeSpan.FromHours(7)), seizedStart);
        Assert.StartsWith("Ngập kho ", flood.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.All(new[] { flood, seized }, i => Assert.Equal("handling", i.GetProperty("state").GetString()));
        Assert.Equivalent(new[] { flood, seized }.Select(i => i.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture)), openIncidentIds);
        // Carriers by name, as every page names them.
        Assert.Contains("Hỏa Tốc Bắc Trung Bộ", openIncidents, StringComparison.Ordinal);
        Assert.Contains("Chuyển phát Lam Sơn", openIncidents, StringComparison.Ordinal);
        Assert.Contains($"/incidents/{flood.GetProperty("id").GetInt64()}", incidentLinks);
        Assert.Contains($"/incidents/{seized.GetProperty("id").GetInt64()}", incidentLinks);
        // The timeline, dated on the season's days: acknowledged by the department on the day, then two entries from the carrier.
        Assert.Contains("06/02/2026", floodTimeline, StringComparison.Ordinal);
        Assert.Contains("09/02/2026", floodTimeline, StringComparison.Ordinal);
        Assert.Contains("Nước đã rút", floodTimeline, StringComparison.Ordinal);
        // The flood's four days raise the warehouse's backlog well above the days before.
        var before = backlog[floodStart.AddDays(-1)];
        Assert.True(backlog[floodStart.AddDays(3)] > 2 * before, $"backlog {backlog[floodStart.AddDays(3)]} after the flood against {before} before");
        Assert.True(Enumerable.Range(0, 4).All(d => backlog[floodStart.AddDays(d)] > backlog[floodStart.AddDays(d - 1)]), "the backlog grows every day of the flood");
        Assert.Equal(2, incidentMails.Count);
        Assert.Contains(incidentMails, m => m.Contains("HOATOC", StringComparison.Ordinal) && m.Contains(floodUnit, StringComparison.Ordinal));
        Assert.Contains(incidentMails, m => m.Contains("LAMSON", StringComparison.Ordinal) && m.Contains("pháo nổ", StringComparison.Ordinal));
        Assert.All(incidentMails, m => Assert.StartsWith("phong.buuchinh@so.thanhhoa.example ", m, StringComparison.Ordinal));
        Assert.Equal(["HAMRONG 18/02"], uncovered);

        // A second start finds everything loaded and adds nothing: no roster file, incident, timeline entry or notice twice.
        async Task<(long, long, long, long, long)> CountAsync()
        {
            await using var connection = await database.Db.OpenConnectionAsync();
            return await connection.QuerySingleAsync<(long, long, long, long, long)>("""
                select (select count(*) from duty_roster_upload), (select count(*) from duty_roster), (select count(*) from incident),
                       (select count(*) from incident_update), (select count(*) from notification where kind = 'incident_reported')
                """);
        }
        var counts = await CountAsync();
        await demo.StopAsync();
        await using var again = await ServedApp.StartAsync(new Dictionary<string, string> { ["ConnectionStrings__PostalPeak"] = database.ConnectionString },
            ["demo"], TimeSpan.FromMinutes(3));
        Assert.Contains(again.StartOutput, line => line.Contains("rosters and the scripted incident reports are loaded already", StringComparison.Ordinal));
        Assert.Equal(counts, await CountAsync());
        Assert.Equal((6L, 6L * 12 - 1 + 2 * 12, 2L, 5L), (counts.Item1, counts.Item2, counts.Item3, counts.Item4));
    }

    private static readonly TimeZoneInfo Vietnam = TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");

    [GeneratedRegex(@"^\s+(?<role>Admin|Analyst|CarrierManager)\s+(?<user>\S+)\s+(?<password>\S+)$")]
    private static partial Regex Account();
}
