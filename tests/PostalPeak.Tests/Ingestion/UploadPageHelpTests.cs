using PostalPeak.Accounts;
using PostalPeak.Tests.Indicators;

namespace PostalPeak.Tests.Ingestion;

public sealed class UploadPageHelpTests
{
    [Fact]
    public async Task TheTemplateACarrierManagerDownloadsIsAcceptedOnceALineIsFilledIn()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddUserAsync("manager", Roles.CarrierManager, "ALPHA");
        using var manager = await app.SignedInClientAsync("manager");

        var page = await manager.GetStringAsync("/uploads");
        var template = await manager.GetAsync("/api/v1/uploads/template.csv");
        var header = (await template.Content.ReadAsStringAsync()).TrimEnd('\r', '\n');
        var values = new Dictionary<string, string>
        {
            ["report_date"] = "2024-01-20", ["unit_code"] = "380", ["received"] = "1000", ["delivered"] = "900", ["returned"] = "10",
            ["lost"] = "1", ["damaged"] = "2", ["backlog"] = "40", ["complaints_received"] = "3", ["complaints_resolved"] = "2",
            ["staff_on_duty"] = "12", ["note"] = "Bình thường",
        };
        var line = string.Join(',', header.Split(',').Select(column => values[column]));
        var upload = await IndicatorTestData.IngestAsync(app, "ALPHA", header + "\n" + line + "\n", "mau-bao-cao.csv");

        Assert.Contains("href=\"/api/v1/uploads/template.csv\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, template.StatusCode);
        Assert.Equal("text/csv", template.Content.Headers.ContentType!.MediaType);
        Assert.Equal(values.Keys.Order(), header.Split(',').Order());
        Assert.Equal(("accepted", 0, 0, 1), (upload.Status, upload.ErrorCount, upload.WarningCount, upload.RowsTotal));
    }

    [Fact]
    public async Task SendingTheFormWithNoFileSaysWhyInTheReadersLanguage()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddUserAsync("manager", Roles.CarrierManager, "ALPHA");
        using var manager = await app.SignedInClientAsync("manager");

        var page = await manager.GetStringAsync("/uploads");
        async Task<HttpResponseMessage> PostEmptyAsync(string query)
        {
            using var form = new MultipartFormDataContent
            {
                { new StringContent(await TestApp.AntiforgeryTokenAsync(manager, "/uploads")), "__RequestVerificationToken" },
            };
            return await manager.PostAsync("/uploads" + query, form);
        }
        var vietnamese = await PostEmptyAsync("");
        var english = await PostEmptyAsync("?culture=en-US");

        Assert.Matches("<input id=\"files\"[^>]* required", page);
        Assert.Equal(HttpStatusCode.BadRequest, vietnamese.StatusCode);
        Assert.Contains("Chưa chọn tệp nào", await vietnamese.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, english.StatusCode);
        Assert.Contains("No file chosen", await english.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
