using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Accounts;
using PostalPeak.Ingestion;
using PostalPeak.Shell;

namespace PostalPeak.Tests.Ingestion;

/// <summary>What the uploader and the reader of an upload's problems read: their language, their numbers, their column names.</summary>
public sealed class UploadLanguageTests
{
    private static StringContent Csv(string text) => CsvBody.Of(text);

    private static async Task<long> UploadAndProcessAsync(TestApp app, HttpClient client, string csv)
    {
        var sent = await client.PostAsync("/api/v1/uploads", Csv(csv));
        Assert.True(sent.StatusCode == HttpStatusCode.Accepted, await sent.Content.ReadAsStringAsync());
        var id = (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        await app.Services.GetRequiredService<UploadProcessor>().ProcessAsync(id, CancellationToken.None);
        return id;
    }

    [Fact]
    public async Task ErrorsCsvHeadersAndSeveritiesAreInTheUploadersLanguage()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        var token = await app.CreateTokenAsync("ALPHA");
        using var vietnameseUploader = app.Client(token);
        using var englishUploader = app.Client(token);
        englishUploader.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");
        const string Bad = "report_date,unit_code,received,delivered\n2023-01-10,380,-1,1\n";
        var vietnameseId = await UploadAndProcessAsync(app, vietnameseUploader, Bad);
        var englishId = await UploadAndProcessAsync(app, englishUploader, Bad.Replace("2023-01-10", "2023-01-11", StringComparison.Ordinal));
        // A reader who chose no language reads each file's report in its uploader's language.
        using var reader = app.Client(token);

        var vietnamese = (await reader.GetStringAsync($"/api/v1/uploads/{vietnameseId}/errors.csv")).TrimStart('\uFEFF').ReplaceLineEndings("\n").Split('\n');
        var english = (await reader.GetStringAsync($"/api/v1/uploads/{englishId}/errors.csv")).TrimStart('\uFEFF').ReplaceLineEndings("\n").Split('\n');

        Assert.Equal("Dòng,Cột,Mức độ,Mã,Nội dung", vietnamese[0]);
        Assert.StartsWith("2,received (Sản lượng nhận),Lỗi,negative_number,", vietnamese[1], StringComparison.Ordinal);
        Assert.Contains("không được âm", vietnamese[1], StringComparison.Ordinal);
        Assert.Equal("Line,Column,Severity,Code,Message", english[0]);
        Assert.StartsWith("2,received (Received),Error,negative_number,", english[1], StringComparison.Ordinal);
        Assert.Contains("cannot be negative", english[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnIssuesColumnIsNamedAsTheFileNamedItWithTheCanonicalNameBeside()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddUserAsync("alpha", Roles.CarrierManager, "ALPHA");
        using var client = app.Client(await app.CreateTokenAsync("ALPHA"));
        var negative = await UploadAndProcessAsync(app, client, "Ngày báo cáo,Mã đơn vị,Bưu gửi nhận,Phát thành công\n10/01/2023,380,-5,1\n");
        var missing = await UploadAndProcessAsync(app, client, "Ngày báo cáo,Mã đơn vị,Phát thành công\n11/01/2023,380,1\n");
        using var manager = await app.SignedInClientAsync("alpha");

        var page = await manager.GetStringAsync($"/uploads/{negative}");
        var report = await client.GetStringAsync($"/api/v1/uploads/{negative}/errors.csv");
        var missingPage = WebUtility.HtmlDecode(await manager.GetStringAsync($"/uploads/{missing}"));

        Assert.Contains("<td data-test=\"issue-column\">Bưu gửi nhận (received)</td>", page, StringComparison.Ordinal);
        Assert.Contains(",Bưu gửi nhận (received),", report, StringComparison.Ordinal);
        // No header to quote: the column's name in PostalPeak's words, in the message too.
        Assert.Contains("<td data-test=\"issue-column\">Sản lượng nhận (received)</td>", missingPage, StringComparison.Ordinal);
        Assert.Contains("Thiếu cột bắt buộc \"Sản lượng nhận (received)\"", missingPage, StringComparison.Ordinal);
        Assert.DoesNotContain("<td data-test=\"issue-column\">received</td>", page + missingPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTooLargeRefusalIsInVietnameseWithTheSizeWrittenTheVietnameseWay()
    {
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?> { ["Ingestion:MaxUploadBytes"] = "11600" });
        await app.AddCarrierAsync("ALPHA");
        await app.AddUserAsync("alpha", Roles.CarrierManager, "ALPHA");
        using var person = await app.SignedInClientAsync("alpha", antiforgeryHeader: true);
        using var machine = app.Client(await app.CreateTokenAsync("ALPHA"));
        var big = "report_date,unit_code,received,delivered\n" + string.Concat(Enumerable.Repeat("2023-01-10,380,1,1\n", 1000));

        var toPerson = await person.PostAsync("/api/v1/uploads", Csv(big));
        var toMachine = await machine.PostAsync("/api/v1/uploads", Csv(big));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, toPerson.StatusCode);
        var vietnamese = (await toPerson.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains("vượt giới hạn 11.600 byte", vietnamese, StringComparison.Ordinal);
        Assert.DoesNotContain("The file", vietnamese, StringComparison.Ordinal);
        var english = (await toMachine.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains("more than the limit of 11,600 bytes", english, StringComparison.Ordinal);
        Assert.Equal("50 MB", string.Format(Translations.Vietnamese, "{0}", new ByteSize(50L * 1024 * 1024)));
        Assert.Equal("1,5 MB", string.Format(Translations.Vietnamese, "{0}", new ByteSize(3L * 512 * 1024)));
        Assert.Equal("1.5 MB", string.Format(Translations.English, "{0}", new ByteSize(3L * 512 * 1024)));
    }

    [Fact]
    public async Task AProblemDetailIsInThePersonsLanguageAndInEnglishForATokenUnlessItAsks()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddCarrierAsync("BETA");
        await app.AddUserAsync("alpha", Roles.CarrierManager, "ALPHA");
        using var person = await app.SignedInClientAsync("alpha", antiforgeryHeader: true);
        // A browser's Accept-Language follows the computer, not the page: it does not make the answer English.
        person.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");
        var token = await app.CreateTokenAsync("ALPHA");
        using var machine = app.Client(token);
        using var vietnameseMachine = app.Client(token);
        vietnameseMachine.DefaultRequestHeaders.AcceptLanguage.ParseAdd("vi-VN");
        const string Day = "report_date,unit_code,received,delivered\n2023-01-10,380,1,1\n";

        async Task<string?> DetailAsync(HttpClient client) =>
            (await (await client.PostAsync("/api/v1/uploads?carrier=BETA", Csv(Day))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();

        Assert.Equal("Tài khoản của bạn không được làm việc với doanh nghiệp 'BETA'.", await DetailAsync(person));
        Assert.Contains("BETA", await DetailAsync(machine), StringComparison.Ordinal);
        Assert.DoesNotContain("Tài khoản", await DetailAsync(machine), StringComparison.Ordinal);
        Assert.Equal("Tài khoản của bạn không được làm việc với doanh nghiệp 'BETA'.", await DetailAsync(vietnameseMachine));
    }

    [Fact]
    public async Task TheDropFolderWritesItsErrorReportsInVietnameseWithTheSizeTheVietnameseWay()
    {
        var inbox = Path.Combine(Path.GetTempPath(), "postalpeak-inbox-" + Guid.NewGuid().ToString("N")[..8]);
        var settings = new Dictionary<string, string?>
        {
            ["Ingestion:DropFolder:Inbox"] = inbox,
            ["Ingestion:DropFolder:SettleSeconds"] = "0",
            ["Ingestion:MaxUploadBytes"] = "11600",
        };
        await using var app = await TestApp.StartAsync(settings: settings);
        await app.AddCarrierAsync("ALPHA");
        var folder = Directory.CreateDirectory(Path.Combine(inbox, "ALPHA")).FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "negative.csv"), "Ngày báo cáo,Mã đơn vị,Bưu gửi nhận,Phát thành công\n10/01/2023,380,-5,1\n");
            await File.WriteAllTextAsync(Path.Combine(folder, "big.csv"),
                "report_date,unit_code,received,delivered\n" + string.Concat(Enumerable.Repeat("2023-01-10,380,1,1\n", 1000)));

            await app.Services.GetRequiredService<DropFolderJob>().RunAsync(CancellationToken.None);

            var negative = (await File.ReadAllTextAsync(Path.Combine(folder, "rejected", "negative.csv.errors.csv"))).ReplaceLineEndings("\n").Split('\n');
            var big = (await File.ReadAllTextAsync(Path.Combine(folder, "rejected", "big.csv.errors.csv"))).ReplaceLineEndings("\n").Split('\n');
            Assert.Equal("Dòng,Cột,Mức độ,Mã,Nội dung", negative[0].TrimStart('\uFEFF'));
            Assert.StartsWith("2,Bưu gửi nhận (received),Lỗi,negative_number,", negative[1], StringComparison.Ordinal);
            Assert.Equal("Dòng,Cột,Mức độ,Mã,Nội dung", big[0].TrimStart('\uFEFF'));
            Assert.StartsWith(",,Lỗi,too_large,", big[1], StringComparison.Ordinal);
            Assert.Contains("vượt giới hạn 11.600 byte", big[1], StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(inbox, recursive: true);
        }
    }

    [Fact]
    public void EveryReportColumnAndIssueCodeHasAText()
    {
        foreach (var language in new[] { "vi", "en" })
        {
            var text = Translations.In(language);
            Assert.All(ReportColumns.Aliases.Keys, column => Assert.False(text["Column." + column].ResourceNotFound, column));
            Assert.All(IssueCodes.Errors.Concat(IssueCodes.Warnings).Append(IssueCodes.ProcessingFailed),
                code => Assert.False(text["Issue." + code].ResourceNotFound, code));
        }
        Assert.Equal(CultureInfo.GetCultureInfo("vi-VN"), Translations.Culture("vi"));
    }
}
