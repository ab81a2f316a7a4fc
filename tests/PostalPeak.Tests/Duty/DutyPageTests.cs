using System.Net.Http.Headers;
using System.Text;
using Dapper;
using PostalPeak.Accounts;

namespace PostalPeak.Tests.Duty;

public sealed class DutyPageTests
{
    private static async Task<HttpResponseMessage> SendFormAsync(HttpClient client, string csv)
    {
        var token = await TestApp.AntiforgeryTokenAsync(client, "/duty/roster?season=2027");
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(token), "__RequestVerificationToken");
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "lich-truc.csv");
        return await client.PostAsync("/duty/roster?season=2027", form);
    }

    [Fact]
    public async Task ACarrierManagerSendsTheRosterThroughThePageFormAndSeesItInTheTableAndOnTheDutyPage()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddUserAsync("alpha.manager", Roles.CarrierManager, "ALPHA");
        using var manager = await app.SignedInClientAsync("alpha.manager");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeBySystemTimeZoneId(DateTime.UtcNow, "Asia/Ho_Chi_Minh"));
        var csv = "Ngay;Ca;Lanh dao truc;Chuc vu;So dien thoai lanh dao;Truc dieu hanh;So dien thoai dieu hanh;Duong day nong;Truc 24/24\n"
            + "06/02/2027;cả ngày;Nguyễn Văn An;Phó Giám đốc;0912 345 678;Trần Thị Bình;0987 654 321;1900 545481;có\n"
            + $"{today:dd/MM/yyyy};;Lê Văn Cường;Giám đốc;0913 111 222;Phạm Thị Dung;0988 111 222;1800 1234;có\n";

        var response = await SendFormAsync(manager, csv);

        var html = System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.True(response.StatusCode == HttpStatusCode.OK, html);
        Assert.Contains("Đã nhận lịch trực: 2 dòng (2 mới", html, StringComparison.Ordinal);
        Assert.Contains("06/02/2027", html, StringComparison.Ordinal);
        Assert.Contains("Nguyễn Văn An", html, StringComparison.Ordinal);
        Assert.Contains("href=\"tel:+84912345678\"", html, StringComparison.Ordinal);
        Assert.Equal(1, await app.CountAuditAsync("duty_roster.submit"));

        var duty = System.Net.WebUtility.HtmlDecode(await manager.GetStringAsync("/duty"));
        Assert.Contains("Ai đang trực", duty, StringComparison.Ordinal);
        Assert.Contains("Lê Văn Cường", duty, StringComparison.Ordinal);
        Assert.Contains("href=\"tel:+84913111222\"", duty, StringComparison.Ordinal);
        Assert.Contains("href=\"tel:18001234\"", duty, StringComparison.Ordinal);
        Assert.Contains("trực 24/24 giờ", duty, StringComparison.Ordinal);

        // The overview's box says the same, with the number to call.
        var overview = System.Net.WebUtility.HtmlDecode(await manager.GetStringAsync("/dashboard"));
        Assert.Contains("data-test=\"on-duty-box\"", overview, StringComparison.Ordinal);
        Assert.Contains("Lê Văn Cường <a href=\"tel:+84913111222\">0913 111 222</a>", overview, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARejectedRosterOnThePageListsItsLinesAndStoresNothingButTheFile()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddUserAsync("alpha.manager", Roles.CarrierManager, "ALPHA");
        using var manager = await app.SignedInClientAsync("alpha.manager");

        var response = await SendFormAsync(manager, "Ngày,Lãnh đạo trực,Số điện thoại lãnh đạo,Trực điều hành,Số điện thoại điều hành,Đường dây nóng\n"
            + "06/02/2027,Nguyễn Văn An,0912 345 678,Trần Thị Bình,0987 654 321,1900 545481\n"
            + "07/02/2027,Lê Văn Cường,abc,Phạm Thị Dung,0988 111 222,1900 545481\n");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("Dòng 3: \"abc\" ở cột \"Số điện thoại lãnh đạo\" không phải số điện thoại Việt Nam", html, StringComparison.Ordinal);
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("select count(*)::int from duty_roster"));
        Assert.Equal("rejected", await connection.ExecuteScalarAsync<string>("select status from duty_roster_upload"));
    }

    [Fact]
    public async Task TheDutyPagesShowACarrierManagerNothingOfAnotherCarrier()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddCarrierAsync("BETA");
        await app.AddUserAsync("alpha.manager", Roles.CarrierManager, "ALPHA");
        await app.AddUserAsync("beta.manager", Roles.CarrierManager, "BETA");
        using var beta = await app.SignedInClientAsync("beta.manager");
        Assert.Equal(HttpStatusCode.OK, (await SendFormAsync(beta, "Ngày,Lãnh đạo trực,Số điện thoại lãnh đạo,Trực điều hành,Số điện thoại điều hành,Đường dây nóng\n"
            + "06/02/2027,Bê Ta Bí Mật,0912 345 678,Trần Thị Bình,0987 654 321,1900 545481\n")).StatusCode);
        using var alpha = await app.SignedInClientAsync("alpha.manager");

        foreach (var url in new[] { "/duty", "/duty/roster?season=2027" })
        {
            var html = await alpha.GetStringAsync(url);
            Assert.DoesNotContain("BETA", html, StringComparison.Ordinal);
            Assert.DoesNotContain("Bê Ta", html, StringComparison.Ordinal);
        }
    }
}
