using System.Text.Json;
using Dapper;
using PostalPeak.Accounts;

namespace PostalPeak.Tests.Duty;

public sealed class DutyRosterApiTests
{
    private const string Header = "Ngày,Ca,Lãnh đạo trực,Chức vụ,Số điện thoại lãnh đạo,Trực điều hành,Số điện thoại điều hành,Đường dây nóng\n";

    /// <summary>05/02/2027 in three shifts, the night one running into the 6th, and the morning of the 6th.</summary>
    private const string ThreeShifts = Header
        + "05/02/2027,ca sáng 06:00–14:00,Nguyễn Văn An,Phó Giám đốc,0912 345 678,Trần Thị Bình,0987.654.321,1900 545481\n"
        + "05/02/2027,ca chiều 14:00-22:00,Lê Văn Cường,Giám đốc,+84 913 111 222,Phạm Thị Dung,0988 111 222,1900 545481\n"
        + "05/02/2027,ca đêm 22:00-06:00,Hoàng Văn Em,Trưởng phòng,84914222333,Vũ Thị Giang,0989 222 333,1900 545481\n"
        + "06/02/2027,ca sáng 06:00-14:00,Đỗ Văn Hùng,Phó Giám đốc,0915 333 444,Bùi Thị Lan,0237 3852 123,1800 1234\n";

    private static async Task<JsonElement> PostAsync(TestApp app, HttpClient client, string csv, string query = "")
    {
        var response = await client.PostAsync("/api/v1/duty/roster" + query, CsvBody.Of(csv));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}\n" + string.Join("\n", app.Logs.Lines));
        return JsonDocument.Parse(body).RootElement;
    }

    private static async Task<JsonElement> GetAsync(TestApp app, HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}\n" + string.Join("\n", app.Logs.Lines));
        return JsonDocument.Parse(body).RootElement;
    }

    [Fact]
    public async Task ARosterSentAsCsvWithATokenIsStoredWithCanonicalPhonesAndReadBackAsJsonAndCsv()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        using var client = app.Client(await app.CreateTokenAsync("ALPHA"));

        var answer = await PostAsync(app, client, ThreeShifts);

        Assert.Equal("accepted", answer.GetProperty("status").GetString());
        Assert.Equal(4, answer.GetProperty("rows_new").GetInt32());
        var roster = await GetAsync(app, client, "/api/v1/duty/roster?season=2027");
        var entries = roster.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(4, entries.Count);
        var first = entries[0];
        Assert.Equal("ALPHA", first.GetProperty("carrier_code").GetString());
        Assert.Equal("2027-02-05", first.GetProperty("date").GetString());
        Assert.Equal("ca sáng 06:00–14:00", first.GetProperty("shift").GetString());
        Assert.Equal("+84912345678", first.GetProperty("leader_phone").GetString());
        Assert.Equal("+84987654321", first.GetProperty("operator_phone").GetString());
        Assert.Equal("1900545481", first.GetProperty("hotline").GetString());
        Assert.Equal("+84914222333", entries[2].GetProperty("leader_phone").GetString());
        Assert.Equal("2027-02-06T06:00:00+07:00", entries[2].GetProperty("ends_at").GetString());
        Assert.Equal("+842373852123", entries[3].GetProperty("operator_phone").GetString());

        var csv = await client.GetStringAsync("/api/v1/duty/roster?season=2027&format=csv");
        Assert.StartsWith("carrier_code,date,shift,leader_name,leader_position,leader_phone,operator_name,operator_phone,hotline,unit_code,hotline_24h",
            csv, StringComparison.Ordinal);
        Assert.Contains("ALPHA,2027-02-05,ca sáng 06:00–14:00,Nguyễn Văn An,Phó Giám đốc,0912 345 678,Trần Thị Bình,0987 654 321,1900 545481,,", csv,
            StringComparison.Ordinal);
        Assert.Equal(1, await app.CountAuditAsync("duty_roster.submit"));

        // The export is a roster file itself: sent back, nothing changes.
        var again = await PostAsync(app, client, csv.TrimStart('\uFEFF'));
        Assert.Equal(4, again.GetProperty("rows_unchanged").GetInt32());
    }

    [Theory]
    [InlineData("vi-VN", "không phải số điện thoại Việt Nam")]
    [InlineData("en-US", "is not a Vietnamese phone number")]
    public async Task ARosterWithBadPhoneNumbersIsRejectedWithLineNumberedErrorsAndOnlyTheRawFileIsKept(string culture, string phrase)
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        using var client = app.Client(await app.CreateTokenAsync("ALPHA"));
        var csv = Header
            + "05/02/2027,,Nguyễn Văn An,Phó Giám đốc,0912 345 678,Trần Thị Bình,0987 654 321,1900 545481\n"
            + "06/02/2027,,Lê Văn Cường,Giám đốc,0912 345,Phạm Thị Dung,0988 111 222,1900 545481\n"
            + "07/02/2027,ca sớm,Hoàng Văn Em,,0914 222 333,Vũ Thị Giang,gọi tổng đài,1900 545481\n";

        var response = await client.PostAsync($"/api/v1/duty/roster?culture={culture}", CsvBody.Of(csv));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("roster_rejected", problem.GetProperty("code").GetString());
        var errors = problem.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal([(3, "leader_phone", "invalid_phone"), (4, "shift", "invalid_shift"), (4, "operator_phone", "invalid_phone")],
            errors.Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("column").GetString(), e.GetProperty("code").GetString())).ToList());
        Assert.Contains(phrase, errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("0912 345", errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("Số điện thoại lãnh đạo", errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);

        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("select count(*)::int from duty_roster"));
        var kept = await connection.QuerySingleAsync<(string Status, byte[] Content, int ErrorCount)>(
            "select status, content, error_count from duty_roster_upload");
        Assert.Equal("rejected", kept.Status);
        Assert.Equal(csv, System.Text.Encoding.UTF8.GetString(kept.Content));
        Assert.Equal(3, kept.ErrorCount);
        Assert.Equal(1, await app.CountAuditAsync("duty_roster.reject"));
    }

    [Theory]
    [InlineData("2027-02-05T13:59:00+07:00", "Nguyễn Văn An")]
    [InlineData("2027-02-05T14:00:00+07:00", "Lê Văn Cường")]
    [InlineData("2027-02-05T23:30:00+07:00", "Hoàng Văn Em")]
    [InlineData("2027-02-05T16:30:00Z", "Hoàng Văn Em")]
    [InlineData("2027-02-06T00:30:00+07:00", "Hoàng Văn Em")]
    [InlineData("2027-02-06T05:59:00+07:00", "Hoàng Văn Em")]
    [InlineData("2027-02-06T06:00:00+07:00", "Đỗ Văn Hùng")]
    [InlineData("2027-02-05T23:00:00", "Hoàng Văn Em")]
    [InlineData("2027-02-06T14:00:00+07:00", null)]
    [InlineData("2027-02-05T05:00:00+07:00", null)]
    public async Task WhoIsOnDutyFollowsTheShiftsInVietnamTimeAcrossMidnight(string at, string? leader)
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddCarrierAsync("BETA");
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var token = app.Client(await app.CreateTokenAsync("ALPHA"));
        await PostAsync(app, token, ThreeShifts);
        using var analyst = await app.SignedInClientAsync("analyst");

        var answer = await GetAsync(app, analyst, "/api/v1/duty?at=" + Uri.EscapeDataString(at));

        var carriers = answer.GetProperty("carriers").EnumerateArray().ToList();
        Assert.Equal(["ALPHA", "BETA"], carriers.Select(c => c.GetProperty("carrier_code").GetString()).ToList());
        var onDuty = carriers[0].GetProperty("on_duty").EnumerateArray().Select(e => e.GetProperty("leader_name").GetString()).ToList();
        Assert.Equal(leader is null ? [] : [leader], onDuty);
        Assert.Empty(carriers[1].GetProperty("on_duty").EnumerateArray());
        Assert.EndsWith("+07:00", answer.GetProperty("at").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMomentThatIsNoTimeIsRefusedAsBadInput()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        using var token = app.Client(await app.CreateTokenAsync("ALPHA"));

        var response = await token.GetAsync("/api/v1/duty?at=tomorrow");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_time", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task ALaterRosterForTheSameDayAndShiftReplacesTheEarlierOneAndKeepsItInTheHistory()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        using var token = app.Client(await app.CreateTokenAsync("ALPHA"));
        await PostAsync(app, token, ThreeShifts);

        var changed = await PostAsync(app, token, Header
            + "05/02/2027,Ca đêm (22h-6h),Ngô Văn Khánh,Phó Giám đốc,0916 555 666,Vũ Thị Giang,0989 222 333,1900 545481\n"
            + "05/02/2027,ca sáng 06:00-14:00,Nguyễn Văn An,Phó Giám đốc,0912345678,Trần Thị Bình,0987654321,19005454 81\n");

        Assert.Equal(1, changed.GetProperty("rows_replaced").GetInt32());
        Assert.Equal(1, changed.GetProperty("rows_unchanged").GetInt32());
        var now = await GetAsync(app, token, "/api/v1/duty?at=2027-02-05T23:30:00%2B07:00");
        Assert.Equal("Ngô Văn Khánh", now.GetProperty("carriers")[0].GetProperty("on_duty")[0].GetProperty("leader_name").GetString());
        await using var connection = await app.Db.OpenConnectionAsync();
        var history = (await connection.QueryAsync<(string Leader, string ReplacedBy)>(
            "select leader_name, replaced_by from duty_roster_history")).ToList();
        Assert.Equal([("Hoàng Văn Em", "token:ALPHA")], history.Select(h => (h.Leader, h.ReplacedBy.StartsWith("token", StringComparison.Ordinal) ? "token:ALPHA" : h.ReplacedBy)).ToList());
        Assert.Equal(4, await connection.ExecuteScalarAsync<int>("select count(*)::int from duty_roster"));
    }

    [Fact]
    public async Task ACarrierCannotSeeOrChangeAnotherCarriersRoster()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddCarrierAsync("BETA");
        await app.AddUserAsync("alpha.manager", Roles.CarrierManager, "ALPHA");
        using var beta = app.Client(await app.CreateTokenAsync("BETA"));
        await PostAsync(app, beta, ThreeShifts.Replace("Nguyễn Văn An", "Bê Ta Bí Mật", StringComparison.Ordinal));
        using var alpha = app.Client(await app.CreateTokenAsync("ALPHA"));
        using var manager = await app.SignedInClientAsync("alpha.manager", antiforgeryHeader: true);

        foreach (var client in new[] { alpha, manager })
        {
            var post = await client.PostAsync("/api/v1/duty/roster?carrier=BETA", CsvBody.Of(ThreeShifts));
            Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
            Assert.Equal("carrier_forbidden", (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/duty/roster?season=2027&carrier=BETA")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/duty?carrier=BETA")).StatusCode);
            foreach (var url in new[] { "/api/v1/duty/roster?season=2027", "/api/v1/duty/roster?season=2027&format=csv", "/api/v1/duty?at=2027-02-05T10:00:00%2B07:00" })
            {
                var body = await client.GetStringAsync(url);
                Assert.DoesNotContain("BETA", body, StringComparison.Ordinal);
                Assert.DoesNotContain("Bê Ta", body, StringComparison.Ordinal);
            }
        }
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(["BETA"], await connection.QueryAsync<string>("select distinct c.code from duty_roster r join carrier c on c.id = r.carrier_id"));
    }

    [Fact]
    public async Task AFileThatIsNoRosterIsRefusedAsBadInputNeverAsAServerError()
    {
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?> { ["Duty:MaxRosterBytes"] = "2048" });
        await app.AddCarrierAsync("ALPHA");
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var token = app.Client(await app.CreateTokenAsync("ALPHA"));
        using var analyst = await app.SignedInClientAsync("analyst", antiforgeryHeader: true);

        var binary = await token.PostAsync("/api/v1/duty/roster", new ByteArrayContent([0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0]));
        var empty = await token.PostAsync("/api/v1/duty/roster", CsvBody.Of(""));
        var tooLarge = await token.PostAsync("/api/v1/duty/roster", CsvBody.Of(Header + new string('x', 4096)));
        var noCarrier = await analyst.PostAsync("/api/v1/duty/roster", CsvBody.Of(Header));
        var noColumns = await token.PostAsync("/api/v1/duty/roster", CsvBody.Of("date,name\n2027-02-06,An\n"));

        Assert.Equal(HttpStatusCode.BadRequest, binary.StatusCode);
        Assert.Equal("not_text", (await binary.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors")[0].GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("too_large", (await tooLarge.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, noCarrier.StatusCode);
        Assert.Equal("carrier_required", (await noCarrier.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var missing = (await noColumns.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray()
            .Select(e => e.GetProperty("column").GetString()).ToList();
        Assert.Equal(["leader_name", "leader_phone", "operator_name", "operator_phone", "hotline"], missing);
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("select count(*)::int from duty_roster"));
    }
}
