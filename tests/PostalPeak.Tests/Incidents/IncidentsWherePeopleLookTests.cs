using System.Globalization;
using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Accounts;
using PostalPeak.Alerts;
using PostalPeak.Calendar;
using PostalPeak.Dashboard;
using PostalPeak.Indicators;
using PostalPeak.Tests.Alerts;

namespace PostalPeak.Tests.Incidents;

/// <summary>Incidents where people look: charts, the daily digest, the season summary, alerts, e-mails and the outbox page.</summary>
public sealed class IncidentsWherePeopleLookTests
{
    private const string Zone = "Asia/Ho_Chi_Minh";

    private static async Task<long> ReportAsync(HttpClient client, string description, string[] units, string startedAt = "2026-02-10T06:30:00+07:00")
    {
        var response = await client.PostAsJsonAsync("/api/v1/incidents", new
        {
            type = "weather", severity = "critical", started_at = startedAt, unit_codes = units, parcels_affected = 1200,
            description, contact = "Nguyễn Văn A, 0912 345 678",
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt64();
    }

    /// <summary>Resolved at 10:00 Vietnam time on <paramref name="day"/>: the lifecycle's own resolution would be today's.</summary>
    private static async Task ResolveOnAsync(TestApp app, long id, DateOnly day)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            update incident set state = 'resolved', resolved_at = (@day::date + time '10:00') at time zone @zone, updated_at = now() where id = @id
            """, new { id, day, zone = Zone });
    }

    private static async Task<long> InsertAlertAsync(TestApp app, string carrier, string unit, DateOnly started, DateOnly lastHeld, DateOnly? resolved)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        return await connection.QuerySingleAsync<long>("""
            insert into alert (rule_id, carrier_id, unit_code, state, started_on, firing_on, last_held_on, resolved_on, value, threshold, raised_at, resolved_at)
            select r.id, c.id, @unit, case when @resolved::date is null then 'firing' else 'resolved' end, @started, @started, @lastHeld, @resolved,
                   4.5, r.threshold, now(), case when @resolved::date is null then null else now() end
            from alert_rule r, carrier c
            where r.code = @rule and c.code = @carrier
            returning id
            """, new { unit, started, lastHeld, resolved, carrier, rule = NotificationTestKit.RuleCode });
    }

    [Fact]
    public async Task AnIncidentIsABandOverItsAffectedDaysOnItsCarriersChartsAndTheProvincesButNotOnAnotherCarriersOrAnotherUnits()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("HOATOC", "Bưu chính Hỏa Tốc");
        await app.AddCarrierAsync("LAMSON");
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var analyst = await app.SignedInClientAsync("analyst");
        using var hoatoc = app.Client(await app.CreateTokenAsync("HOATOC"));
        var season = (await app.Services.GetRequiredService<Seasons>().ListAsync()).Single(s => s.Year == 2026);
        const string chart = "/charts/backlog.png?season=2026&carrier=HOATOC";
        var before = await analyst.GetByteArrayAsync(chart);

        var flood = await ReportAsync(hoatoc, "Ngập kho Bỉm Sơn, 2.000 bưu gửi chậm", [NotificationTestKit.UnitCode]);
        var open = await analyst.GetByteArrayAsync(chart);
        await ResolveOnAsync(app, flood, new DateOnly(2026, 2, 12));
        var resolved = await analyst.GetByteArrayAsync(chart);

        ChartRequest Request(string? carrier, string? unit) =>
            new("backlog", [2026], carrier, unit, "carrier", MetricCatalogue.Closing.Code, 900, 450, English: false);
        async Task<ChartMark[]> IncidentMarksAsync(string? carrier, string? unit) =>
            [.. (await DashboardEndpoints.MarksAsync(app.Db, Request(carrier, unit), season, Zone, CancellationToken.None)).Where(m => m.Kind == "incident")];
        var own = Assert.Single(await IncidentMarksAsync("HOATOC", null));
        Assert.Equal(new ChartMark(new DateOnly(2026, 2, 10), "incident", "Ngập kho Bỉm Sơn", new DateOnly(2026, 2, 12)), own);
        Assert.Single(await IncidentMarksAsync("HOATOC", NotificationTestKit.UnitCode));
        Assert.Empty(await IncidentMarksAsync("HOATOC", "14758"));
        Assert.Empty(await IncidentMarksAsync("LAMSON", null));
        Assert.Equal("Bưu chính Hỏa Tốc", Assert.Single(await IncidentMarksAsync(null, null)).Label);

        IndicatorRow[] rows = [.. Enumerable.Range(5, 10).Select(d => new IndicatorRow
        {
            CarrierCode = "HOATOC", ReportDate = new DateOnly(2026, 2, d), Season = 2026, Reports = 5, ReportsExpected = 5, Closing = 1000 + 50 * d,
        })];
        using var plot = Charts.Draw(Request("HOATOC", null), rows, season, [own]);
        var band = Assert.Single(plot.GetPlottables().OfType<ScottPlot.Plottables.HorizontalSpan>(), s => s.LegendText == "sự cố");
        Assert.Equal(new DateTime(2026, 2, 10).ToOADate() - 0.5, band.X1, 6);
        Assert.Equal(new DateTime(2026, 2, 12).ToOADate() + 0.5, band.X2, 6);
        Assert.Contains(plot.GetPlottables().OfType<ScottPlot.Plottables.VerticalLine>(), l => l.Text == "Ngập kho Bỉm Sơn");

        // The cached image follows the incident: reported, then resolved, each draws anew.
        Assert.NotEqual(before, open);
        Assert.NotEqual(open, resolved);

        // The season summary lists it with its days affected (10, 11 and 12 February).
        var summary = await analyst.GetStringAsync("/summary?season=2026");
        Assert.Contains("data-test=\"summary-incidents\"", summary, StringComparison.Ordinal);
        Assert.Contains($"<tr data-id=\"{flood}\">", summary, StringComparison.Ordinal);
        Assert.Contains("Bưu chính Hỏa Tốc", summary, StringComparison.Ordinal);
        Assert.Contains("10/02/2026 – 12/02/2026", summary, StringComparison.Ordinal);
        Assert.Contains("<td class=\"num\" data-test=\"days-affected\">3</td>", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDigestListsAnIncidentStillOpenOnItsDayWithItsUnitsByNameAndACarrierWithoutOneReadsNoIncidents()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Notifications:Smtp:Host"] = "127.0.0.1",
            ["Notifications:Smtp:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Notifications:Smtp:Security"] = "None",
            ["Notifications:Smtp:From"] = "baocao@sokhcn.example",
            ["Notifications:DepartmentEmails:0"] = "giamsat@sokhcn.example",
            ["Notifications:PublicBaseUrl"] = "https://postalpeak.example",
        });
        await app.AddCarrierAsync("HOATOC", "Bưu chính Hỏa Tốc"); // contact ops@hoatoc.example
        await app.AddCarrierAsync("LAMSON");
        using var hoatoc = app.Client(await app.CreateTokenAsync("HOATOC"));
        var flood = await ReportAsync(hoatoc, "Ngập kho Bỉm Sơn sau mưa lớn", [NotificationTestKit.UnitCode]);
        var earlier = await ReportAsync(hoatoc, "Mất điện trung tâm khai thác", [], "2026-02-01T08:00:00+07:00");
        await ResolveOnAsync(app, earlier, new DateOnly(2026, 2, 2));

        var ids = await app.Services.GetRequiredService<DigestJob>().ComposeAsync(new DateOnly(2026, 2, 11), CancellationToken.None);
        var delivery = app.Services.GetRequiredService<NotificationDelivery>();
        foreach (var id in ids)
            await delivery.DeliverAsync(id, CancellationToken.None);

        var received = smtp.Messages.ToDictionary(m => m.To.Single(), m => (m.Message.TextBody ?? "").ReplaceLineEndings("\n"), StringComparer.Ordinal);
        var department = received["giamsat@sokhcn.example"];
        var separator = department.IndexOf(AlertMessages.EnglishSeparator, StringComparison.Ordinal);
        var (vi, en) = (department[..separator], department[separator..]);
        Assert.Contains("Sự cố đã báo cáo hoặc chưa khắc phục trong ngày (1):", vi, StringComparison.Ordinal);
        Assert.Contains("  - [Nghiêm trọng] Thời tiết, thiên tai: Ngập kho Bỉm Sơn sau mưa lớn – Bưu chính Hỏa Tốc – đơn vị: "
            + $"{NotificationTestKit.UnitName} ({NotificationTestKit.UnitCode}) – bắt đầu 10/02/2026 06:30 – Đã báo cáo (sự cố #{flood})", vi, StringComparison.Ordinal);
        Assert.Contains($"https://postalpeak.example/incidents/{flood}", vi, StringComparison.Ordinal);
        Assert.DoesNotContain($"#{earlier})", vi, StringComparison.Ordinal);
        Assert.Contains($"units: {NotificationTestKit.UnitName} ({NotificationTestKit.UnitCode})", en, StringComparison.Ordinal);
        Assert.Contains("Incidents reported or open that day (1):", en, StringComparison.Ordinal);
        Assert.Contains($"(incident #{flood})", received["ops@hoatoc.example"], StringComparison.Ordinal);
        Assert.Contains("Không có sự cố nào trong ngày.", received["ops@lamson.example"], StringComparison.Ordinal);
        Assert.Contains("No incidents that day.", received["ops@lamson.example"], StringComparison.Ordinal);
        Assert.DoesNotContain("Bỉm Sơn", received["ops@lamson.example"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAlertLinksTheIncidentOfItsCarrierDaysAndUnitAndNotOneOfAnotherCarrierOtherDaysOrAnotherUnit()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("HOATOC");
        await app.AddCarrierAsync("LAMSON");
        await app.AddUserAsync("analyst", Roles.Analyst);
        await app.AddUserAsync("hoatoc", Roles.CarrierManager, "HOATOC");
        using var analyst = await app.SignedInClientAsync("analyst");
        using var manager = await app.SignedInClientAsync("hoatoc");
        using var hoatoc = app.Client(await app.CreateTokenAsync("HOATOC"));
        using var lamson = app.Client(await app.CreateTokenAsync("LAMSON"));
        var unit = NotificationTestKit.UnitCode;
        var flood = await ReportAsync(hoatoc, "Ngập kho Bỉm Sơn", [unit]);                          // 10/02 … 12/02
        await ResolveOnAsync(app, flood, new DateOnly(2026, 2, 12));
        var elsewhere = await ReportAsync(lamson, "Phát hiện hàng cấm", [unit]);                      // another carrier, same days and unit
        var later = await ReportAsync(hoatoc, "Thiếu nhân lực", [], "2026-02-20T08:00:00+07:00");    // no unit, later days
        await ResolveOnAsync(app, later, new DateOnly(2026, 2, 21));

        var overlapping = await InsertAlertAsync(app, "HOATOC", unit, new(2026, 2, 8), new(2026, 2, 10), new(2026, 2, 11));
        var carrierWide = await InsertAlertAsync(app, "HOATOC", "", new(2026, 2, 12), new(2026, 2, 13), new(2026, 2, 14));
        var before = await InsertAlertAsync(app, "HOATOC", unit, new(2026, 2, 1), new(2026, 2, 3), new(2026, 2, 4));
        var otherUnit = await InsertAlertAsync(app, "HOATOC", "14758", new(2026, 2, 10), new(2026, 2, 11), null);
        var stillFiring = await InsertAlertAsync(app, "HOATOC", unit, new(2026, 2, 15), new(2026, 2, 22), null);

        async Task<long[]> RelatedAsync(long alert)
        {
            var json = JsonDocument.Parse(await analyst.GetStringAsync($"/api/v1/alerts/{alert}")).RootElement;
            return [.. json.GetProperty("related_incidents").EnumerateArray().Select(e => e.GetInt64())];
        }
        Assert.Equal([flood], await RelatedAsync(overlapping));
        Assert.Equal([flood], await RelatedAsync(carrierWide));
        Assert.Empty(await RelatedAsync(before));
        Assert.Equal([later], await RelatedAsync(otherUnit)); // the later incident names no unit, and this alert still fires
        Assert.Equal([later], await RelatedAsync(stillFiring));

        var page = await manager.GetStringAsync($"/alerts/{overlapping}");
        Assert.Contains("Sự cố liên quan", page, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/incidents/{flood}\">", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"/incidents/{elsewhere}\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"/incidents/{later}\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("data-test=\"related-incidents\"", await manager.GetStringAsync($"/alerts/{before}"), StringComparison.Ordinal);
        Assert.Contains("Related incidents", await analyst.GetStringAsync($"/alerts/{overlapping}?culture=en-US"), StringComparison.Ordinal);

        var incident = await analyst.GetStringAsync($"/incidents/{flood}");
        Assert.Contains("Cảnh báo liên quan", incident, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/alerts/{overlapping}\">", incident, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/alerts/{carrierWide}\">", incident, StringComparison.Ordinal);
        Assert.DoesNotContain($"/alerts/{before}\"", incident, StringComparison.Ordinal);
        Assert.DoesNotContain($"/alerts/{otherUnit}\"", incident, StringComparison.Ordinal);
        Assert.Contains($"<span>{NotificationTestKit.UnitName}</span> <small class=\"muted\">{unit}</small>", incident, StringComparison.Ordinal);
        var api = JsonDocument.Parse(await analyst.GetStringAsync($"/api/v1/incidents/{flood}")).RootElement;
        Assert.Equal([overlapping, carrierWide], api.GetProperty("related_alerts").EnumerateArray().Select(e => e.GetInt64()));
        Assert.False(api.GetProperty("incident").TryGetProperty("unit_names", out _), "the API keeps to the documented fields");

        // The one relation, in SQL: the same answers as the pages.
        await using var connection = await app.Db.OpenConnectionAsync();
        var pairs = (await connection.QueryAsync<(long Incident, long Alert)>("""
            select i.id, a.id from incident i join alert a on incident_relates_to_alert(i, a, @zone) order by 1, 2
            """, new { zone = Zone })).ToList();
        Assert.Equal([(flood, overlapping), (flood, carrierWide), (later, otherUnit), (later, stillFiring)], pairs);
    }

    [Fact]
    public async Task AnIncidentsEmailNamesItsUnitsAndTheOutboxPageLinksTheIncidentItIsAbout()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Notifications:Smtp:Host"] = "127.0.0.1",
            ["Notifications:Smtp:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Notifications:Smtp:Security"] = "None",
            ["Notifications:Smtp:From"] = "canhbao@sokhcn.example",
            ["Notifications:DepartmentEmails:0"] = "giamsat@sokhcn.example",
        });
        await app.AddCarrierAsync("HOATOC");
        await app.AddUserAsync("admin", Roles.Admin);
        using var admin = await app.SignedInClientAsync("admin");
        using var hoatoc = app.Client(await app.CreateTokenAsync("HOATOC"));
        var id = await ReportAsync(hoatoc, "Ngập kho Bỉm Sơn", [NotificationTestKit.UnitCode]);
        await using (var connection = await app.Db.OpenConnectionAsync())
            foreach (var notification in await connection.QueryAsync<long>("select id from notification where incident_id = @id", new { id }))
                await app.Services.GetRequiredService<NotificationDelivery>().DeliverAsync(notification, CancellationToken.None);

        var text = Assert.Single(smtp.Messages).Message.TextBody!;
        Assert.Contains($"Đơn vị bị ảnh hưởng: {NotificationTestKit.UnitName} ({NotificationTestKit.UnitCode})", text, StringComparison.Ordinal);
        Assert.Contains($"Affected units: {NotificationTestKit.UnitName} ({NotificationTestKit.UnitCode})", text, StringComparison.Ordinal);

        var page = await admin.GetStringAsync("/admin/notifications");
        Assert.Contains($"<a href=\"/incidents/{id}\">Sự cố #{id}</a>", page, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/incidents/{id}\">[PostalPeak] Báo cáo sự cố", page, StringComparison.Ordinal);
        Assert.Contains($"Incident #{id}", await admin.GetStringAsync("/admin/notifications?culture=en-US"), StringComparison.Ordinal);
    }
}
