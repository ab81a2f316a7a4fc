using System.Text.Json;
using Dapper;
using PostalPeak.Accounts;
using PostalPeak.Tests.Indicators;

namespace PostalPeak.Tests.Carriers;

/// <summary>A carrier's service units: declared by the department, else derived from the carrier's reports.</summary>
public sealed class ServiceUnitsTests
{
    /// <summary>Communes of Thanh Hóa, in force since 1 July 2025.</summary>
    private const string DongTien = "15853";
    private const string QuangPhu = "16522";
    private const string HacThanh = "14797";
    private const string DongQuang = "16417";
    /// <summary>A district: its reports ended on 30 June 2025.</summary>
    private const string ThanhHoaCity = "380";

    [Fact]
    public async Task AnAnalystDeclaresACarriersUnitsAndEveryoneOfThatCarrierReadsThemBackWithNames()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("OWN");
        await app.AddUserAsync("analyst", Roles.Analyst);
        await app.AddUserAsync("manager", Roles.CarrierManager, "OWN");
        using var analyst = await app.SignedInClientAsync("analyst", antiforgeryHeader: true);
        using var manager = await app.SignedInClientAsync("manager", antiforgeryHeader: true);
        using var token = app.Client(await app.CreateTokenAsync("OWN"));

        var declared = await analyst.PutAsJsonAsync("/api/v1/carriers/own/service-units", new { units = new[] { QuangPhu, $" {DongTien} ", DongTien, "" } });
        var byManager = await manager.GetFromJsonAsync<JsonElement>("/api/v1/carriers/OWN/service-units");
        var byToken = await token.GetFromJsonAsync<JsonElement>("/api/v1/carriers/OWN/service-units");

        Assert.Equal(HttpStatusCode.OK, declared.StatusCode);
        var answer = await declared.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("declared", answer.GetProperty("source").GetString());
        Assert.Equal([DongTien, QuangPhu], Codes(answer, "declared"));
        Assert.Equal([DongTien, QuangPhu], Codes(answer, "units"));
        var names = await NamesAsync(app, DongTien, QuangPhu);
        Assert.Equal(names, answer.GetProperty("units").EnumerateArray().Select(u => u.GetProperty("unit_name").GetString()));
        Assert.All(answer.GetProperty("declared").EnumerateArray(), u => Assert.Equal("analyst", u.GetProperty("declared_by").GetString()));
        foreach (var read in new[] { byManager, byToken })
        {
            Assert.Equal("declared", read.GetProperty("source").GetString());
            Assert.Equal([DongTien, QuangPhu], Codes(read, "units"));
        }
        // The coverage figures read the same list.
        await using var connection = await app.Db.OpenConnectionAsync();
        var expected = (await connection.QueryAsync<string>(
            "select unit_code from report_coverage(array[current_date], 'OWN', null, 0) where expected order by unit_code")).ToList();
        Assert.Equal([DongTien, QuangPhu], expected);
        var audited = await connection.QuerySingleAsync<(string Actor, string Details)>(
            "select actor, details::text from audit_log where action = 'carrier.service_units'");
        Assert.Equal("analyst", audited.Actor);
        Assert.Contains(DongTien, audited.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplacingTheListKeepsTheUnitsThatStayAndAnEmptyListDerivesItFromTheReportsAgain()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("OWN");
        await app.AddUserAsync("admin", Roles.Admin);
        using var admin = await app.SignedInClientAsync("admin", antiforgeryHeader: true);
        // Reports on the 7 days up to the latest one make the derived list; one before them does not count.
        await IndicatorTestData.IngestAsync(app, "OWN", IndicatorTestData.Header
            + $"2026-01-02,{HacThanh},10,9,0,0,0,1,0,0\n2026-01-04,{DongQuang},10,9,0,0,0,1,0,0\n2026-01-10,{DongTien},10,9,0,0,0,1,0,0\n");

        var first = await admin.PutAsJsonAsync("/api/v1/carriers/OWN/service-units", new { units = new[] { DongTien, QuangPhu } });
        var firstAddedAt = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("declared")[0].GetProperty("declared_at").GetDateTime();
        var second = await (await admin.PutAsJsonAsync("/api/v1/carriers/OWN/service-units", new { units = new[] { DongTien, HacThanh } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var cleared = await admin.PutAsJsonAsync("/api/v1/carriers/OWN/service-units", new { units = Array.Empty<string>() });
        var derived = await cleared.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal([HacThanh, DongTien], Codes(second, "units"));
        Assert.Equal(firstAddedAt, second.GetProperty("declared").EnumerateArray()
            .Single(u => u.GetProperty("unit_code").GetString() == DongTien).GetProperty("declared_at").GetDateTime());
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Equal("derived", derived.GetProperty("source").GetString());
        Assert.Empty(derived.GetProperty("declared").EnumerateArray());
        Assert.Equal([DongTien, DongQuang], Codes(derived, "units"));
        Assert.Equal("2026-01-04", derived.GetProperty("reports_from").GetString());
        Assert.Equal("2026-01-10", derived.GetProperty("reports_through").GetString());
        Assert.Equal(await NamesAsync(app, DongTien, DongQuang), derived.GetProperty("units").EnumerateArray().Select(u => u.GetProperty("unit_name").GetString()));
        Assert.Equal(3, await app.CountAuditAsync("carrier.service_units"));
    }

    [Fact]
    public async Task ACarrierWithoutDeclarationOrReportsHasNoServiceUnits()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("NEW");
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var analyst = await app.SignedInClientAsync("analyst");

        var answer = await analyst.GetFromJsonAsync<JsonElement>("/api/v1/carriers/NEW/service-units");
        var missing = await analyst.GetAsync("/api/v1/carriers/NOPE/service-units");

        Assert.Equal("derived", answer.GetProperty("source").GetString());
        Assert.Empty(answer.GetProperty("units").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("reports_through").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task UnknownOrEndedCodesAreRefusedWithA400NamingThemInTheReadersLanguageAndNothingIsSaved()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("OWN");
        await app.AddUserAsync("admin", Roles.Admin);
        using var admin = await app.SignedInClientAsync("admin", antiforgeryHeader: true);
        await admin.PutAsJsonAsync("/api/v1/carriers/OWN/service-units", new { units = new[] { QuangPhu } });
        var wrong = new { units = new[] { DongTien, "99999", "ABC", "99999" } };

        var vietnamese = await admin.PutAsJsonAsync("/api/v1/carriers/OWN/service-units", wrong);
        var english = await admin.PutAsJsonAsync("/api/v1/carriers/OWN/service-units?culture=en-US", wrong);
        var ended = await admin.PutAsJsonAsync("/api/v1/carriers/OWN/service-units", new { units = new[] { DongTien, ThanhHoaCity } });
        var endedEnglish = await admin.PutAsJsonAsync("/api/v1/carriers/OWN/service-units?culture=en-US", new { units = new[] { ThanhHoaCity } });
        var noList = await admin.PutAsJsonAsync("/api/v1/carriers/OWN/service-units", new { unit = new[] { DongTien } });

        foreach (var response in new[] { vietnamese, english, ended, endedEnglish, noList })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        var vi = await vietnamese.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("unknown_units", vi.GetProperty("code").GetString());
        Assert.Equal("units", vi.GetProperty("parameter").GetString());
        Assert.StartsWith("Không có đơn vị hành chính nào mang mã 99999, ABC.", vi.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var en = await english.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("unknown_units", en.GetProperty("code").GetString());
        Assert.StartsWith("No administrative unit has the code 99999, ABC.", en.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var cityName = (await NamesAsync(app, ThanhHoaCity)).Single();
        var endedVi = await ended.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("units_ended", endedVi.GetProperty("code").GetString());
        Assert.Contains($"đã hết hiệu lực nên không thể khai báo: {cityName} ({ThanhHoaCity})", endedVi.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains($"no longer in force, so they cannot be declared: {cityName} ({ThanhHoaCity})",
            (await endedEnglish.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("units_required", (await noList.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var kept = await admin.GetFromJsonAsync<JsonElement>("/api/v1/carriers/OWN/service-units");
        Assert.Equal([QuangPhu], Codes(kept, "units"));
        Assert.Equal(1, await app.CountAuditAsync("carrier.service_units"));
    }

    [Fact]
    public async Task OnlyTheDepartmentDeclaresAndAnotherCarrierCanNeitherReadNorChangeTheList()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("OWN");
        await app.AddCarrierAsync("OTHER");
        await app.AddUserAsync("admin", Roles.Admin);
        await app.AddUserAsync("analyst", Roles.Analyst);
        await app.AddUserAsync("manager", Roles.CarrierManager, "OWN");
        await app.AddUserAsync("other.manager", Roles.CarrierManager, "OTHER");
        using var admin = await app.SignedInClientAsync("admin", antiforgeryHeader: true);
        using var analyst = await app.SignedInClientAsync("analyst", antiforgeryHeader: true);
        using var manager = await app.SignedInClientAsync("manager", antiforgeryHeader: true);
        using var otherManager = await app.SignedInClientAsync("other.manager", antiforgeryHeader: true);
        using var token = app.Client(await app.CreateTokenAsync("OWN"));
        using var otherToken = app.Client(await app.CreateTokenAsync("OTHER"));
        var body = new { units = new[] { DongTien } };

        var byAdmin = await admin.PutAsJsonAsync("/api/v1/carriers/OWN/service-units", body);
        var byAnalyst = await analyst.PutAsJsonAsync("/api/v1/carriers/OTHER/service-units", body);
        var byOwnManager = await manager.PutAsJsonAsync("/api/v1/carriers/OWN/service-units", new { units = new[] { QuangPhu } });
        var byOwnToken = await token.PutAsJsonAsync("/api/v1/carriers/OWN/service-units", new { units = new[] { QuangPhu } });
        var readByOther = await otherManager.GetAsync("/api/v1/carriers/OWN/service-units");
        var readByOtherToken = await otherToken.GetAsync("/api/v1/carriers/OWN/service-units");
        var changedByOther = await otherManager.PutAsJsonAsync("/api/v1/carriers/OWN/service-units", new { units = new[] { QuangPhu } });
        var pageOfOther = await otherManager.GetAsync("/carriers/OWN/service-units");

        Assert.Equal(HttpStatusCode.OK, byAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byAnalyst.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byOwnManager.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byOwnToken.StatusCode);
        foreach (var refused in new[] { readByOther, readByOtherToken })
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("carrier_forbidden", problem.GetProperty("code").GetString());
            Assert.DoesNotContain(DongTien, problem.ToString(), StringComparison.Ordinal);
        }
        // A manager may declare for no carrier, so it is refused before its carrier is even looked at.
        Assert.Equal(HttpStatusCode.Forbidden, changedByOther.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, pageOfOther.StatusCode);
        Assert.Contains("/account/denied", pageOfOther.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var own = await manager.GetFromJsonAsync<JsonElement>("/api/v1/carriers/OWN/service-units");
        Assert.Equal([DongTien], Codes(own, "units"));
        Assert.Equal(2, await app.CountAuditAsync("carrier.service_units"));
    }

    [Fact]
    public async Task TheDepartmentEditsTheListOnThePageAndTheManagerSeesItReadOnly()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("OWN");
        await app.AddUserAsync("admin", Roles.Admin);
        await app.AddUserAsync("analyst", Roles.Analyst);
        await app.AddUserAsync("manager", Roles.CarrierManager, "OWN");
        using var admin = await app.SignedInClientAsync("admin");
        using var analyst = await app.SignedInClientAsync("analyst");
        using var manager = await app.SignedInClientAsync("manager");
        await IndicatorTestData.IngestAsync(app, "OWN", IndicatorTestData.Header + $"2026-01-10,{HacThanh},10,9,0,0,0,1,0,0\n");
        var names = (await NamesAsync(app, DongTien, QuangPhu, HacThanh)).ToList();

        var before = Decoded(await admin.GetStringAsync("/carriers/own/service-units"));
        var saved = await PageForms.PostAsync(analyst, "/carriers/OWN/service-units", new Dictionary<string, string> { ["Units"] = $"{QuangPhu}\r\n{DongTien}, {QuangPhu}\n" });
        var savedPage = Decoded(await saved.Content.ReadAsStringAsync());
        var wrong = await PageForms.PostAsync(admin, "/carriers/OWN/service-units", new Dictionary<string, string> { ["Units"] = $"{DongTien}\n77777" });
        var wrongPage = Decoded(await wrong.Content.ReadAsStringAsync());
        var read = Decoded(await manager.GetStringAsync("/carriers/OWN/service-units"));
        var forged = await PageForms.PostAsync(manager, "/carriers/OWN/service-units", new Dictionary<string, string> { ["Units"] = HacThanh });
        var derived = await PageForms.PostAsync(admin, "/carriers/OWN/service-units", new Dictionary<string, string>(), "/carriers/OWN/service-units?handler=Derive");
        var derivedPage = Decoded(await derived.Content.ReadAsStringAsync());
        var list = Decoded(await admin.GetStringAsync("/carriers"));

        // Derived at first, with the unit's name and the window of reports it came from.
        Assert.Contains("Chưa khai báo: danh sách được suy ra từ báo cáo", before, StringComparison.Ordinal);
        Assert.Contains("từ 04/01/2026 đến 10/01/2026", before, StringComparison.Ordinal);
        Assert.Contains($"{names[2]} ({HacThanh})", before, StringComparison.Ordinal);
        Assert.Contains("<textarea", before, StringComparison.Ordinal);
        // An analyst's list, duplicates folded, replaces it.
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Contains("Đã lưu danh sách 2 đơn vị phục vụ của OWN.", savedPage, StringComparison.Ordinal);
        Assert.Contains("Danh sách do Sở khai báo (2 đơn vị)", savedPage, StringComparison.Ordinal);
        Assert.Contains($"{names[0]} ({DongTien})", savedPage, StringComparison.Ordinal);
        Assert.Contains($"{names[1]} ({QuangPhu})", savedPage, StringComparison.Ordinal);
        Assert.DoesNotContain($"{names[2]} ({HacThanh})</li>", savedPage.Split("service-unit-choices")[0], StringComparison.Ordinal);
        // A wrong code is explained beside the form, which keeps what was typed.
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("Không có đơn vị hành chính nào mang mã 77777.", wrongPage, StringComparison.Ordinal);
        Assert.Contains($"{DongTien}\n77777</textarea>", wrongPage, StringComparison.Ordinal);
        // The manager reads the list, without a form, and may not post one.
        Assert.Contains($"{names[0]} ({DongTien})", read, StringComparison.Ordinal);
        Assert.Contains("bạn xem được nhưng không sửa được", read, StringComparison.Ordinal);
        Assert.DoesNotContain("<textarea", read, StringComparison.Ordinal);
        Assert.True(forged.StatusCode == HttpStatusCode.Forbidden
            || (forged.StatusCode == HttpStatusCode.Redirect && forged.Headers.Location!.OriginalString.Contains("/account/denied", StringComparison.Ordinal)),
            $"{(int)forged.StatusCode} {forged.Headers.Location}");
        // "Derive from reports" clears the declaration.
        Assert.Equal(HttpStatusCode.OK, derived.StatusCode);
        Assert.Contains("Đã bỏ khai báo: đơn vị phục vụ của OWN được suy ra từ báo cáo.", derivedPage, StringComparison.Ordinal);
        Assert.Contains($"{names[2]} ({HacThanh})", derivedPage, StringComparison.Ordinal);
        Assert.Contains("href=\"/carriers/OWN/service-units\"", list, StringComparison.Ordinal);
        Assert.Equal(2, await app.CountAuditAsync("carrier.service_units"));
    }

    [Fact]
    public async Task ThePageReadsInEnglishWhenTheReaderChoosesIt()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("OWN");
        await app.AddUserAsync("admin", Roles.Admin);
        using var admin = await app.SignedInClientAsync("admin");

        var wrong = await PageForms.PostAsync(admin, "/carriers/OWN/service-units?culture=en-US", new Dictionary<string, string> { ["Units"] = "77777" });
        var page = Decoded(await wrong.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("Service units of OWN", page, StringComparison.Ordinal);
        Assert.Contains("No administrative unit has the code 77777.", page, StringComparison.Ordinal);
        Assert.Contains("Not declared, and the carrier has sent no report yet", page, StringComparison.Ordinal);
    }

    private static List<string?> Codes(JsonElement answer, string list) =>
        answer.GetProperty(list).EnumerateArray().Select(u => u.GetProperty("unit_code").GetString()).ToList();

    /// <summary>The units' names as the reference data holds them.</summary>
    private static async Task<IEnumerable<string>> NamesAsync(TestApp app, params string[] codes)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        var names = (await connection.QueryAsync<(string Code, string Name)>("select c, unit_name(c) from unnest(@codes::text[]) c", new { codes }))
            .ToDictionary(n => n.Code, n => n.Name);
        return codes.Select(c => names[c]);
    }

    private static string Decoded(string html) => WebUtility.HtmlDecode(html);
}
