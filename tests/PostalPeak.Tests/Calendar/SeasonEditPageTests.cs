using System.Text.Json;
using Dapper;
using PostalPeak.Accounts;

namespace PostalPeak.Tests.Calendar;

public sealed class SeasonEditPageTests
{
    [Fact]
    public async Task AnAdminEditsASeasonOnThePageAndTheAlertsAreQueuedForEvaluation()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", Roles.Admin);
        using var admin = await app.SignedInClientAsync("admin");

        var form = await admin.GetStringAsync("/calendar/edit?season=2027");
        var fields = Form("Tết Đinh Mùi (mở rộng)", -35, 20,
            ("peak", "Cao điểm", "Peak", -35, -8), ("run_up", "Cận Tết", "Run-up", -7, -1),
            ("holiday", "Nghỉ Tết", "Holiday", 0, 6), ("recovery", "Sau Tết", "Recovery", 7, 20), ("", "", "", null, null));
        var saved = await PageForms.PostAsync(admin, "/calendar/edit?season=2027", fields);
        var page = await saved.Content.ReadAsStringAsync();

        Assert.Contains("value=\"Tết Đinh Mùi 2027\"", form, StringComparison.Ordinal);
        Assert.Contains("name=\"Phases[3].Code\"", form, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Contains("Đã lưu mùa Tết Đinh Mùi (mở rộng); cảnh báo sẽ được đánh giá lại.", page, StringComparison.Ordinal);
        var season = await admin.GetFromJsonAsync<JsonElement>("/api/v1/seasons/2027");
        Assert.Equal(("Tết Đinh Mùi (mở rộng)", -35, 20), (season.GetProperty("name").GetString(), season.GetProperty("from_offset").GetInt32(), season.GetProperty("to_offset").GetInt32()));
        Assert.Equal(["peak", "run_up", "holiday", "recovery"], season.GetProperty("phases").EnumerateArray().Select(p => p.GetProperty("code").GetString()));
        Assert.Equal(6, season.GetProperty("phases")[2].GetProperty("to_offset").GetInt32());
        Assert.Equal(1, await app.CountAuditAsync("season.update"));
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(1, await connection.QuerySingleAsync<long>(
            "select count(*) from hangfire.job where invocationdata::text like '%AlertEvaluator%' and invocationdata::text like '%EvaluateAllAsync%'"));
    }

    [Fact]
    public async Task OverlappingPhasesAreExplainedBesideTheFormInThePagesLanguageAndNothingIsSaved()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", Roles.Admin);
        using var admin = await app.SignedInClientAsync("admin");
        var fields = Form("Tết 2027", -30, 15, ("peak", "Cao điểm", "Peak", -30, 0), ("holiday", "Nghỉ Tết", "Holiday", 0, 4));

        var vietnamese = await PageForms.PostAsync(admin, "/calendar/edit?season=2027", fields);
        var english = await PageForms.PostAsync(admin, "/calendar/edit?season=2027&culture=en-US", fields);
        var page = await vietnamese.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, vietnamese.StatusCode);
        Assert.Contains("Giai đoạn &#x27;peak&#x27; và &#x27;holiday&#x27; chồng lên nhau", page, StringComparison.Ordinal);
        // The form keeps what was typed, so the mistake can be corrected.
        Assert.Contains("value=\"Cao điểm\"", page, StringComparison.Ordinal);
        Assert.Contains("Phases &#x27;peak&#x27; and &#x27;holiday&#x27; overlap", await english.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await app.CountAuditAsync("season.update"));
        var season = await admin.GetFromJsonAsync<JsonElement>("/api/v1/seasons/2027");
        Assert.Equal(4, season.GetProperty("phases").GetArrayLength());
    }

    [Fact]
    public async Task TwoPhasesWithOneCodeAreExplainedBesideTheFormAndNothingIsSaved()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", Roles.Admin);
        using var admin = await app.SignedInClientAsync("admin");
        var fields = Form("Tết 2027", -30, 15, ("peak", "Cao điểm", "Peak", -30, -8), ("holiday", "Nghỉ Tết", "Holiday", 0, 4),
            ("peak", "Sau Tết", "Recovery", 5, 15));

        var vietnamese = await PageForms.PostAsync(admin, "/calendar/edit?season=2027", fields);
        var english = await PageForms.PostAsync(admin, "/calendar/edit?season=2027&culture=en-US", fields);

        Assert.Equal(HttpStatusCode.BadRequest, vietnamese.StatusCode);
        Assert.Contains("Hai giai đoạn cùng mã &#x27;peak&#x27;", await vietnamese.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Two phases have the code &#x27;peak&#x27;", await english.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await app.CountAuditAsync("season.update"));
        var season = await admin.GetFromJsonAsync<JsonElement>("/api/v1/seasons/2027");
        Assert.Equal(["peak", "run_up", "holiday", "recovery"], season.GetProperty("phases").EnumerateArray().Select(p => p.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task OnlyAnAdminOpensTheSeasonEditorAndTheCalendarLinksToItForAdminsOnly()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", Roles.Admin);
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var admin = await app.SignedInClientAsync("admin");
        using var analyst = await app.SignedInClientAsync("analyst");

        var refused = await analyst.GetAsync("/calendar/edit?season=2027");

        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/account/denied", refused.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Contains("href=\"/calendar/edit?season=2027\"", await admin.GetStringAsync("/calendar?season=2027"), StringComparison.Ordinal);
        Assert.DoesNotContain("/calendar/edit", await analyst.GetStringAsync("/calendar?season=2027"), StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Form(string name, int from, int to, params (string Code, string Vi, string En, int? From, int? To)[] phases)
    {
        var fields = new Dictionary<string, string>
        {
            ["Name"] = name, ["FromOffset"] = from.ToString(System.Globalization.CultureInfo.InvariantCulture), ["ToOffset"] = to.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        for (var i = 0; i < phases.Length; i++)
        {
            fields[$"Phases[{i}].Code"] = phases[i].Code;
            fields[$"Phases[{i}].NameVi"] = phases[i].Vi;
            fields[$"Phases[{i}].NameEn"] = phases[i].En;
            fields[$"Phases[{i}].FromOffset"] = phases[i].From?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "";
            fields[$"Phases[{i}].ToOffset"] = phases[i].To?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "";
        }
        return fields;
    }
}
