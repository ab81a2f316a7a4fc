using System.Text.Json;
using Dapper;
using PostalPeak.Accounts;

namespace PostalPeak.Tests.Duty;

/// <summary>The roster typed on the page and sent as JSON: the same check and store as a roster file.</summary>
public sealed class RosterEntryTests
{
    /// <summary>One roster as data: 05/02/2027 in two shifts (the night one running into the 6th), the 6th all day for a unit, hotline staffed.</summary>
    private sealed record Line(string Date, string Shift, string Leader, string Position, string LeaderPhone, string Operator, string OperatorPhone,
        string Hotline, bool Staffed, string Unit);

    private static readonly Line[] Roster =
    [
        new("2027-02-05", "ca sáng 06:00-14:00", "Nguyễn Văn An", "Phó Giám đốc", "0912 345 678", "Trần Thị Bình", "0987.654.321", "1900 545481", true, ""),
        new("2027-02-05", "ca đêm 22:00-06:00", "Hoàng Văn Em", "Trưởng phòng", "+84 914 222 333", "Vũ Thị Giang", "0989 222 333", "1900 545481", false, ""),
        new("2027-02-06", "cả ngày", "Đỗ Văn Hùng", "", "84915333444", "Bùi Thị Lan", "0237 3852 123", "1800 1234", true, "380"),
    ];

    /// <summary>The page's form as a browser without script posts it: Rows.Index, then each row's fields, a checkbox only when ticked.</summary>
    private static async Task<HttpResponseMessage> PostPageAsync(HttpClient client, IEnumerable<Line> lines, string query = "?season=2027")
    {
        var token = await TestApp.AntiforgeryTokenAsync(client, "/duty/roster/edit" + query);
        var fields = new List<KeyValuePair<string, string>> { new("__RequestVerificationToken", token) };
        var index = 0;
        foreach (var line in lines)
        {
            var n = $"Rows[{index}].";
            fields.Add(new("Rows.Index", index.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            fields.AddRange([new(n + "Date", line.Date), new(n + "Shift", line.Shift), new(n + "LeaderName", line.Leader), new(n + "LeaderPosition", line.Position),
                new(n + "LeaderPhone", line.LeaderPhone), new(n + "OperatorName", line.Operator), new(n + "OperatorPhone", line.OperatorPhone),
                new(n + "Hotline", line.Hotline), new(n + "UnitCode", line.Unit)]);
            if (line.Staffed)
                fields.Add(new(n + "Hotline24h", "true"));
            index++;
        }
        return await client.PostAsync("/duty/roster/edit" + query, new FormUrlEncodedContent(fields));
    }

    private static string Csv(IEnumerable<Line> lines) =>
        "Ngày,Ca,Lãnh đạo trực,Chức vụ,Số điện thoại lãnh đạo,Trực điều hành,Số điện thoại điều hành,Đường dây nóng,Trực 24/24,Mã đơn vị\n"
        + string.Concat(lines.Select(l =>
            $"{DateOnly.Parse(l.Date, System.Globalization.CultureInfo.InvariantCulture):dd/MM/yyyy},{l.Shift},{l.Leader},{l.Position},{l.LeaderPhone},{l.Operator},{l.OperatorPhone},{l.Hotline},{(l.Staffed ? "có" : "không")},{l.Unit}\n"));

    private static object Json(IEnumerable<Line> lines) => new
    {
        entries = lines.Select(l => new Dictionary<string, object>
        {
            ["date"] = l.Date, ["shift"] = l.Shift, ["leader_name"] = l.Leader, ["leader_position"] = l.Position, ["leader_phone"] = l.LeaderPhone,
            ["operator_name"] = l.Operator, ["operator_phone"] = l.OperatorPhone, ["hotline"] = l.Hotline, ["hotline_24h"] = l.Staffed, ["unit_code"] = l.Unit,
        }).ToList(),
    };

    /// <summary>A carrier's entries of the season as GET /api/v1/duty/roster answers them, without who sent them and when.</summary>
    private static async Task<List<string>> RosterOfAsync(HttpClient client, string carrier)
    {
        var answer = await client.GetFromJsonAsync<JsonElement>($"/api/v1/duty/roster?season=2027&carrier={carrier}");
        return answer.GetProperty("entries").EnumerateArray().Select(e =>
        {
            var copy = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(e.GetRawText())!;
            Assert.Equal(carrier, copy["carrier_code"].GetString());
            foreach (var key in new[] { "carrier_code", "carrier_name", "submitted_at", "submitted_by" })
                copy.Remove(key);
            return string.Join("|", copy.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())}"));
        }).ToList();
    }

    [Fact]
    public async Task ARosterTypedOnThePageSentAsACsvFileAndSentAsJsonWithATokenEndsUpTheSameInTheRoster()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddCarrierAsync("BETA");
        await app.AddCarrierAsync("GAMMA");
        await app.AddUserAsync("alpha.manager", Roles.CarrierManager, "ALPHA");
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var manager = await app.SignedInClientAsync("alpha.manager");
        using var beta = app.Client(await app.CreateTokenAsync("BETA"));
        using var gamma = app.Client(await app.CreateTokenAsync("GAMMA"));

        var page = await PostPageAsync(manager, Roster);
        var csv = await beta.PostAsync("/api/v1/duty/roster", CsvBody.Of(Csv(Roster)));
        var json = await gamma.PutAsJsonAsync("/api/v1/duty/roster/days", Json(Roster));

        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        Assert.True(page.StatusCode == HttpStatusCode.OK, html);
        Assert.Contains("Đã nhận lịch trực: 3 dòng (3 mới", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var saved = await json.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(json.StatusCode == HttpStatusCode.OK, saved.ToString());
        Assert.Equal(("GAMMA", "accepted", 3, 3), (saved.GetProperty("carrier_code").GetString(), saved.GetProperty("status").GetString(),
            saved.GetProperty("rows").GetInt32(), saved.GetProperty("rows_new").GetInt32()));

        using var analyst = await app.SignedInClientAsync("analyst");
        var alpha = await RosterOfAsync(analyst, "ALPHA");
        Assert.Equal(3, alpha.Count);
        Assert.Equal(alpha, await RosterOfAsync(analyst, "BETA"));
        Assert.Equal(alpha, await RosterOfAsync(analyst, "GAMMA"));
        Assert.Contains("leader_phone=+84915333444", alpha[2], StringComparison.Ordinal);
        Assert.Contains("hotline_24h=true", alpha[2], StringComparison.Ordinal);
        Assert.Contains("unit_code=380", alpha[2], StringComparison.Ordinal);
        Assert.Contains("hotline_24h=false", alpha[1], StringComparison.Ordinal);

        // Each way is one audited submission, kept with its channel and form.
        Assert.Equal(3, await app.CountAuditAsync("duty_roster.submit"));
        await using var connection = await app.Db.OpenConnectionAsync();
        var kept = (await connection.QueryAsync<(string Code, string Channel, string Format)>("""
            select c.code, u.channel, u.format from duty_roster_upload u join carrier c on c.id = u.carrier_id order by c.code
            """)).ToList();
        Assert.Equal([("ALPHA", "web", "json"), ("BETA", "api", "csv"), ("GAMMA", "api", "json")], kept);
    }

    [Fact]
    public async Task ABadPhoneOnThePageIsShownBesideItsFieldInTheReadersLanguageAndNothingIsStored()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddUserAsync("alpha.manager", Roles.CarrierManager, "ALPHA");
        using var manager = await app.SignedInClientAsync("alpha.manager");
        var lines = Roster.Select((l, i) => i == 1 ? l with { LeaderPhone = "0914 222" } : l).ToList();

        var response = await PostPageAsync(manager, lines);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("Lịch trực có 1 lỗi nên chưa lưu ngày nào", html, StringComparison.Ordinal);
        // The message sits in the second row's leader-phone cell, whose field is marked and keeps what was typed.
        var row = html[html.IndexOf("data-row=\"1\"", StringComparison.Ordinal)..html.IndexOf("data-row=\"2\"", StringComparison.Ordinal)];
        var cell = row[row.IndexOf("name=\"Rows[1].LeaderPhone\"", StringComparison.Ordinal)..];
        cell = cell[..cell.IndexOf("</td>", StringComparison.Ordinal)];
        Assert.Contains("value=\"0914 222\"", cell, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", cell, StringComparison.Ordinal);
        Assert.Contains("\"0914 222\" ở cột \"Số điện thoại lãnh đạo\" không phải số điện thoại Việt Nam", cell, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "data-test=\"field-error\""));
        // The form carries its own anti-forgery token, so a browser without script can send it again.
        var form = html[html.IndexOf("data-test=\"roster-edit-form\"", StringComparison.Ordinal)..];
        Assert.Contains("name=\"__RequestVerificationToken\"", form[..form.IndexOf("</form>", StringComparison.Ordinal)], StringComparison.Ordinal);
        // The other rows are given back as typed, not lost.
        Assert.Contains("value=\"Đỗ Văn Hùng\"", html, StringComparison.Ordinal);

        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("select count(*)::int from duty_roster"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("select count(*)::int from duty_roster_upload"));
        Assert.Equal(0, await app.CountAuditAsync("duty_roster.submit"));
    }

    [Fact]
    public async Task TheEditorShowsTheRunUpAndHolidayDaysWithWhatIsStoredAndALaterSaveReplacesTheShiftAndKeepsTheHistory()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA", "Bưu chính Alpha");
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var analyst = await app.SignedInClientAsync("analyst");

        // Department staff choose the carrier first, by name.
        var picker = WebUtility.HtmlDecode(await analyst.GetStringAsync("/duty/roster/edit?season=2027"));
        Assert.Contains("data-test=\"roster-edit-pick\"", picker, StringComparison.Ordinal);
        Assert.Contains(">Bưu chính Alpha</option>", picker, StringComparison.Ordinal);
        Assert.DoesNotContain("data-test=\"roster-edit-form\"", picker, StringComparison.Ordinal);

        var first = await PostPageAsync(analyst, Roster, "?season=2027&carrier=alpha");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var changed = await PostPageAsync(analyst, [Roster[0], Roster[1] with { Leader = "Ngô Văn Khánh" }], "?season=2027&carrier=ALPHA");
        var html = WebUtility.HtmlDecode(await changed.Content.ReadAsStringAsync());
        Assert.Contains("Đã nhận lịch trực: 2 dòng (0 mới, 1 thay lịch trước, 1 không đổi)", html, StringComparison.Ordinal);

        // Tết 2027 is 06/02: the run-up (30/01–05/02) and the holiday (06/02–10/02), a day with two shifts on two rows.
        var editor = WebUtility.HtmlDecode(await analyst.GetStringAsync("/duty/roster/edit?season=2027&carrier=ALPHA"));
        var days = System.Text.RegularExpressions.Regex.Matches(editor, "<span class=\"day\">([^<]+)</span>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["30/01/2027", "31/01/2027", "01/02/2027", "02/02/2027", "03/02/2027", "04/02/2027", "05/02/2027", "05/02/2027", "06/02/2027",
            "07/02/2027", "08/02/2027", "09/02/2027", "10/02/2027"], days);
        Assert.Contains("value=\"Ngô Văn Khánh\"", editor, StringComparison.Ordinal);
        Assert.Contains("value=\"0914 222 333\"", editor, StringComparison.Ordinal);
        Assert.Contains("value=\"ca đêm 22:00–06:00\"", editor, StringComparison.Ordinal);
        var whole = WebUtility.HtmlDecode(await analyst.GetStringAsync("/duty/roster/edit?season=2027&carrier=ALPHA&all=true"));
        Assert.Equal(47, System.Text.RegularExpressions.Regex.Count(whole, "<span class=\"day\">"));

        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(["Hoàng Văn Em"], await connection.QueryAsync<string>("select leader_name from duty_roster_history"));
        Assert.Equal(2, await app.CountAuditAsync("duty_roster.submit"));
    }

    [Fact]
    public async Task ACarrierCannotWriteAnotherCarriersRosterThroughThePageOrTheJsonApi()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddCarrierAsync("BETA", "Bê Ta Bí Mật");
        await app.AddUserAsync("alpha.manager", Roles.CarrierManager, "ALPHA");
        using var manager = await app.SignedInClientAsync("alpha.manager", antiforgeryHeader: true);
        using var token = app.Client(await app.CreateTokenAsync("ALPHA"));

        var token2 = await TestApp.AntiforgeryTokenAsync(manager, "/duty/roster/edit?season=2027");
        var page = await manager.PostAsync("/duty/roster/edit?season=2027&carrier=BETA", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token2, ["Rows[0].Date"] = "2027-02-05", ["Rows[0].LeaderName"] = "An", ["Rows[0].LeaderPhone"] = "0912 345 678",
            ["Rows[0].OperatorName"] = "Bình", ["Rows[0].OperatorPhone"] = "0987 654 321", ["Rows[0].Hotline"] = "1900 545481",
        }));
        var open = await manager.GetAsync("/duty/roster/edit?season=2027&carrier=BETA");
        foreach (var refused in new[] { page, open })
        {
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.Contains("/account/denied", refused.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }
        foreach (var client in new[] { token, manager })
        {
            var put = await client.PutAsJsonAsync("/api/v1/duty/roster/days?carrier=BETA", Json(Roster));
            Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
            Assert.Equal("carrier_forbidden", (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }
        // Naming the other carrier inside an entry is no way round it either.
        var inside = await token.PutAsJsonAsync("/api/v1/duty/roster/days", new
        {
            entries = new[] { new { date = "2027-02-05", carrier_code = "BETA", leader_name = "An", leader_phone = "0912 345 678", operator_name = "Bình",
                operator_phone = "0987 654 321", hotline = "1900 545481" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, inside.StatusCode);
        Assert.Equal("carrier_mismatch", (await inside.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0].GetProperty("code").GetString());
        // The manager's own editor shows nothing of the other carrier.
        var own = await manager.GetStringAsync("/duty/roster/edit?season=2027");
        Assert.DoesNotContain("BETA", own, StringComparison.Ordinal);
        Assert.DoesNotContain("Bê Ta", WebUtility.HtmlDecode(own), StringComparison.Ordinal);

        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("select count(*)::int from duty_roster"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("select count(*)::int from duty_roster_upload"));
    }

    [Theory]
    [InlineData("vi-VN", "không phải số điện thoại Việt Nam", "Lịch trực có 2 lỗi")]
    [InlineData("en-US", "is not a Vietnamese phone number", "The roster has 2 error(s)")]
    public async Task AJsonRosterWithBadEntriesIsRefusedWithEachEntrysProblemsAndNothingIsStored(string culture, string phrase, string detail)
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        using var token = app.Client(await app.CreateTokenAsync("ALPHA"));
        var lines = Roster.Select((l, i) => i switch { 1 => l with { OperatorPhone = "gọi tổng đài" }, 2 => l with { Shift = "ca sớm" }, _ => l });

        var response = await token.PutAsJsonAsync($"/api/v1/duty/roster/days?culture={culture}", Json(lines));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("roster_rejected", problem.GetProperty("code").GetString());
        Assert.StartsWith(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var errors = problem.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal([(2, "operator_phone", "invalid_phone"), (3, "shift", "invalid_shift")],
            errors.Select(e => (e.GetProperty("entry").GetInt32(), e.GetProperty("field").GetString(), e.GetProperty("code").GetString())).ToList());
        Assert.Contains(phrase, errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);

        // Bodies that are no roster are refused as bad input too, never as a server error.
        var notJson = await token.PutAsync("/api/v1/duty/roster/days", new StringContent("date,leader\n", System.Text.Encoding.UTF8, "application/json"));
        var wrongKind = await token.PutAsJsonAsync("/api/v1/duty/roster/days", new { entries = new[] { new { date = "2027-02-05", leader_phone = new[] { "0912" } } } });
        var empty = await token.PutAsJsonAsync("/api/v1/duty/roster/days", new { entries = Array.Empty<object>() });
        Assert.Equal((HttpStatusCode.BadRequest, "roster_invalid_json"), (notJson.StatusCode, (await notJson.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()));
        Assert.Equal((HttpStatusCode.BadRequest, "roster_invalid_field"), (wrongKind.StatusCode, (await wrongKind.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()));
        Assert.Equal("no_entries", (await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0].GetProperty("code").GetString());

        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("select count(*)::int from duty_roster"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("select count(*)::int from duty_roster_upload"));
    }

    [Fact]
    public async Task TheJsonRosterIsInTheOpenApiDocumentWithItsBody()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var analyst = await app.SignedInClientAsync("analyst");

        var document = JsonDocument.Parse(await analyst.GetStringAsync("/api/v1/openapi.json")).RootElement;

        var put = document.GetProperty("paths").GetProperty("/api/v1/duty/roster/days").GetProperty("put");
        Assert.Contains("Duty", put.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.True(put.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.Contains(put.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "carrier");
    }
}
