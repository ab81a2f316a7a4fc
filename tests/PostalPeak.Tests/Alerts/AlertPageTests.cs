using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Accounts;
using PostalPeak.Alerts;
using PostalPeak.Audit;
using PostalPeak.Tests.Indicators;

namespace PostalPeak.Tests.Alerts;

public sealed class AlertPageTests
{
    private static async Task<(TestApp App, long AlertId)> AppWithFiringAlertAsync()
    {
        var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddUserAsync("admin", Roles.Admin);
        await app.AddUserAsync("analyst", Roles.Analyst);
        await app.AddUserAsync("manager", Roles.CarrierManager, "ALPHA");
        await IndicatorTestData.IngestAsync(app, "ALPHA",
            "report_date,unit_code,received,delivered,lost\n2024-01-20,380,1000,900,0\n2024-01-21,380,1000,900,30\n2024-01-22,380,1000,900,25\n");
        await app.Services.GetRequiredService<AlertEvaluator>().EvaluateCarrierAsync(1, CancellationToken.None);
        await using var connection = await app.Db.OpenConnectionAsync();
        var id = await connection.QuerySingleAsync<long>("select a.id from alert a join alert_rule r on r.id = a.rule_id where r.code = 'lost_parcels'");
        return (app, id);
    }

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string page, string handler, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = await TestApp.AntiforgeryTokenAsync(client, page);
        using var form = new FormUrlEncodedContent(fields);
        return await client.PostAsync($"{page}?handler={handler}", form);
    }

    [Fact]
    public async Task AnAnalystSilencesACarrierAheadOfTimeInVietnamTimeAndMistakesAreExplainedInVietnamese()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddUserAsync("analyst", Roles.Analyst);
        await app.AddUserAsync("manager", Roles.CarrierManager, "ALPHA");
        using var analyst = await app.SignedInClientAsync("analyst");
        using var manager = await app.SignedInClientAsync("manager");
        var vietnam = TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");
        var until = TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, vietnam).Date.AddDays(2).AddHours(8);

        var created = await PostFormAsync(analyst, "/alerts/silences", "Create", new()
        {
            ["Carrier"] = "ALPHA", ["Rule"] = "", ["Unit"] = " ",
            ["Until"] = until.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture), ["Reason"] = "Bảo trì hệ thống",
        });
        var createdPage = await created.Content.ReadAsStringAsync();
        var everything = await PostFormAsync(analyst, "/alerts/silences", "Create", new()
        {
            ["Carrier"] = "", ["Rule"] = "", ["Unit"] = "", ["Until"] = until.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture),
            ["Reason"] = "Tắt hết",
        });
        var past = await PostFormAsync(analyst, "/alerts/silences", "Create", new()
        {
            ["Carrier"] = "ALPHA", ["Until"] = until.AddDays(-5).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture),
            ["Reason"] = "Quá khứ",
        });
        var managerPage = await manager.GetAsync("/alerts/silences");

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Contains("Đã tạm tắt thông báo.", createdPage, StringComparison.Ordinal);
        var silence = Assert.Single(await app.Services.GetRequiredService<AlertStore>().SilencesAsync(true, CancellationToken.None));
        Assert.Equal(("ALPHA", null, null, "Bảo trì hệ thống"), (silence.CarrierCode, silence.RuleCode, silence.UnitCode, silence.Reason));
        Assert.Equal(TimeZoneInfo.ConvertTimeToUtc(until, vietnam), silence.EndsAt);
        Assert.Equal(HttpStatusCode.BadRequest, everything.StatusCode);
        Assert.Contains("không tạm tắt tất cả", await everything.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Contains("phải ở tương lai", await past.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await app.CountAuditAsync("alert.silence"));
        Assert.Equal(HttpStatusCode.Found, managerPage.StatusCode); // pages send the refused to the "no access" page
        Assert.Contains("/account/denied", managerPage.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARuleFormWithAThresholdThatIsNotANumberIsExplainedInTheReadersLanguage()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", Roles.Admin);
        using var admin = await app.SignedInClientAsync("admin");
        var form = new Dictionary<string, string>
        {
            ["Form.Code"] = "new_rule", ["Form.NameVi"] = "Thử", ["Form.NameEn"] = "Test", ["Form.Metric"] = "lost", ["Form.Comparison"] = ">",
            ["Form.Threshold"] = "năm", ["Form.Severity"] = "warning",
        };

        var vietnamese = await PageForms.PostAsync(admin, "/alerts/rules", form);
        var english = await PageForms.PostAsync(admin, "/alerts/rules?culture=en-US", form);

        Assert.Equal(HttpStatusCode.BadRequest, vietnamese.StatusCode);
        Assert.Contains("Ngưỡng phải là một số.", await vietnamese.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("The threshold must be a number.", await english.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(await app.Services.GetRequiredService<AlertRules>().ListAsync(null), r => r.Code == "new_rule");
    }

    [Fact]
    public async Task TheListAndDetailShowTheAlertWithItsSeriesAndHistory()
    {
        var (app, id) = await AppWithFiringAlertAsync();
        await using var _ = app;
        using var analyst = await app.SignedInClientAsync("analyst");

        var list = await analyst.GetStringAsync("/alerts");
        var detail = await analyst.GetStringAsync($"/alerts/{id}");
        var english = await analyst.GetStringAsync($"/alerts/{id}?culture=en-US");

        Assert.Contains("Nhiều bưu gửi thất lạc trong ngày", list, StringComparison.Ordinal);
        Assert.Contains("Đang diễn ra", list, StringComparison.Ordinal);
        Assert.Contains("data-test=\"alert-series\"", detail, StringComparison.Ordinal);
        Assert.Contains("Bắt đầu diễn ra", detail, StringComparison.Ordinal);
        Assert.Contains("Many parcels lost in a day", english, StringComparison.Ordinal);
        Assert.Contains("data-test=\"acknowledge\"", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAnalystAcknowledgesAndSilencesFromThePageAndACarrierManagerCannot()
    {
        var (app, id) = await AppWithFiringAlertAsync();
        await using var _ = app;
        using var analyst = await app.SignedInClientAsync("analyst");
        using var manager = await app.SignedInClientAsync("manager");

        var managerView = await manager.GetStringAsync($"/alerts/{id}");
        var refused = await PostFormAsync(manager, $"/alerts/{id}", "Acknowledge", new() { ["Note"] = "x" });
        var acknowledged = await PostFormAsync(analyst, $"/alerts/{id}", "Acknowledge", new() { ["Note"] = "Đã liên hệ" });
        var silenced = await PostFormAsync(analyst, $"/alerts/{id}", "Silence", new() { ["Scope"] = "rule_carrier", ["Hours"] = "12", ["Reason"] = "Doanh nghiệp đang xử lý" });
        var silences = await analyst.GetStringAsync("/alerts/silences");

        Assert.DoesNotContain("data-test=\"acknowledge\"", managerView, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        // Post, redirect, get: the page a reload fetches again names no handler.
        Assert.Equal(HttpStatusCode.Redirect, acknowledged.StatusCode);
        Assert.Equal($"/alerts/{id}?done=acknowledged", acknowledged.Headers.Location!.OriginalString);
        Assert.Contains("Đã tiếp nhận cảnh báo.", await analyst.GetStringAsync(acknowledged.Headers.Location), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, silenced.StatusCode);
        Assert.Equal($"/alerts/{id}?done=silenced", silenced.Headers.Location!.OriginalString);
        Assert.Contains("Đã tạm tắt thông báo.", await analyst.GetStringAsync(silenced.Headers.Location), StringComparison.Ordinal);
        Assert.Contains("Doanh nghiệp đang xử lý", silences, StringComparison.Ordinal);
        var active = Assert.Single(await app.Services.GetRequiredService<AlertStore>().SilencesAsync(true));
        Assert.Equal(("lost_parcels", "ALPHA", (string?)null), (active.RuleCode, active.CarrierCode, active.UnitCode));
        Assert.InRange((active.EndsAt - DateTime.UtcNow).TotalHours, 11.9, 12.1);
        Assert.Equal(1, await app.CountAuditAsync("alert.silence"));
    }

    [Fact]
    public async Task TheListMarksASilencedAlertAndOffersSilencesOnlyToDepartmentStaff()
    {
        var (app, id) = await AppWithFiringAlertAsync();
        await using var _ = app;
        using var analyst = await app.SignedInClientAsync("analyst");
        using var admin = await app.SignedInClientAsync("admin");
        using var manager = await app.SignedInClientAsync("manager");

        var beforeSilence = await analyst.GetStringAsync("/alerts");
        var until = new DateTime(2030, 1, 2, 3, 4, 0, DateTimeKind.Utc);
        await app.Services.GetRequiredService<AlertStore>().SilenceAsync("lost_parcels", "ALPHA", null, until, "Đang xử lý",
            Actor.CommandLine(), TimeProvider.System);
        var silenced = await analyst.GetStringAsync("/alerts");
        var english = await analyst.GetStringAsync("/alerts?culture=en-US");
        var managerList = await manager.GetStringAsync("/alerts");
        var adminList = await admin.GetStringAsync("/alerts");

        Assert.DoesNotContain("data-test=\"silenced\"", beforeSilence, StringComparison.Ordinal);
        // 03:04 UTC is 10:04 in Vietnam.
        Assert.Contains("Tạm tắt thông báo đến 02/01/2030 10:04", silenced, StringComparison.Ordinal);
        Assert.Contains("Silenced until 02/01/2030 10:04", english, StringComparison.Ordinal);
        Assert.Contains("Tạm tắt thông báo đến 02/01/2030 10:04", managerList, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/alerts/silences\"", managerList, StringComparison.Ordinal);
        Assert.Contains("href=\"/alerts/silences\"", silenced, StringComparison.Ordinal);
        Assert.Contains("href=\"/alerts/silences\"", adminList, StringComparison.Ordinal);
        Assert.Contains($"href=\"/alerts/{id}\"", managerList, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAdministratorEditsARuleOnThePageWithPhaseOverrides()
    {
        var (app, _) = await AppWithFiringAlertAsync();
        await using var __ = app;
        using var admin = await app.SignedInClientAsync("admin");
        var rule = (await app.Services.GetRequiredService<AlertRules>().ListAsync(null)).Single(r => r.Code == "throughput_low");

        var form = await admin.GetStringAsync($"/alerts/rules?edit={rule.Id}");
        var saved = await PostFormAsync(admin, "/alerts/rules", "", new()
        {
            ["Form.Id"] = rule.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Form.Code"] = "throughput_low",
            ["Form.NameVi"] = rule.NameVi, ["Form.NameEn"] = rule.NameEn, ["Form.Metric"] = "throughput_ratio", ["Form.Comparison"] = "<",
            ["Form.Threshold"] = "0.75", ["Form.ForDays"] = "2", ["Form.KeepFiringForDays"] = "1", ["Form.Severity"] = "critical",
            ["Form.Email"] = "true", ["Form.Enabled"] = "true", ["Form.Phases"] = "holiday=muted; run_up=0.55",
        });
        var bad = await PostFormAsync(admin, "/alerts/rules", "", new()
        {
            ["Form.Code"] = "new_rule", ["Form.NameVi"] = "x", ["Form.NameEn"] = "x", ["Form.Metric"] = "lost", ["Form.Comparison"] = ">",
            ["Form.Threshold"] = "1", ["Form.ForDays"] = "1", ["Form.Severity"] = "warning", ["Form.Email"] = "true", ["Form.Phases"] = "holiday=sometimes",
        });

        Assert.Contains("holiday=muted; run_up=0.6", form, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var after = await app.Services.GetRequiredService<AlertRules>().GetAsync(rule.Id, null);
        Assert.Equal((0.75, 2, 1, "critical"), (after.Threshold, after.ForDays, after.KeepFiringForDays, after.Severity));
        Assert.Equal(["email"], after.Channels);
        Assert.Equal([new PhaseOverride("holiday", true, null), new PhaseOverride("run_up", false, 0.55)], after.Phases);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("sometimes", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await app.CountAuditAsync("alert_rule.update"));
    }

    [Fact]
    public async Task TheListFiltersByAReportDayRangeAsTheApiDoes()
    {
        var (app, _) = await AppWithFiringAlertAsync();
        await using var __ = app;
        // A second episode in February on unit 381; the January one on 380 is still open from the 21st.
        await IndicatorTestData.IngestAsync(app, "ALPHA", "report_date,unit_code,received,delivered,lost\n2024-02-20,381,1000,900,30\n2024-02-21,381,1000,900,0\n", "feb.csv");
        await app.Services.GetRequiredService<AlertEvaluator>().EvaluateCarrierAsync(1, CancellationToken.None);
        using var analyst = await app.SignedInClientAsync("analyst");

        var january = await analyst.GetStringAsync("/alerts?State=all&Rule=lost_parcels&From=2024-01-01&To=2024-01-31");
        var february = await analyst.GetStringAsync("/alerts?State=all&Rule=lost_parcels&From=2024-02-21&To=2024-02-29");
        var api = await analyst.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/alerts?rule=lost_parcels&from=2024-02-21&to=2024-02-29");
        var before = await analyst.GetStringAsync("/alerts?State=all&Rule=lost_parcels&To=2024-01-20");
        var english = await analyst.GetStringAsync("/alerts?culture=en-US");
        var wrong = await analyst.GetAsync("/alerts?State=all&From=21/02/2024");

        Assert.Contains("(380)", january, StringComparison.Ordinal);
        Assert.DoesNotContain("(381)", january, StringComparison.Ordinal);
        // The February episode resolved on the 21st: it overlaps a range that starts that day.
        Assert.Contains("(381)", february, StringComparison.Ordinal);
        Assert.DoesNotContain("(380)", february, StringComparison.Ordinal);
        Assert.Equal(["381"], api.EnumerateArray().Select(a => a.GetProperty("unit_code").GetString()));
        Assert.Contains("data-test=\"no-alerts\"", before, StringComparison.Ordinal);
        Assert.Contains("Từ ngày báo cáo", january, StringComparison.Ordinal);
        Assert.Contains("value=\"2024-01-31\"", january, StringComparison.Ordinal);
        Assert.Contains("From report day", english, StringComparison.Ordinal);
        Assert.Contains("To report day", english, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("&#x27;21/02/2024&#x27; không phải là ngày", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
