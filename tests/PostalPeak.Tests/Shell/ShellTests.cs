using System.Xml.Linq;

namespace PostalPeak.Tests.Shell;

public sealed class ShellTests
{
    [Fact]
    public async Task TheSiteIconIsServedAndEveryPageLinksIt()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();

        var ico = await client.GetAsync("/favicon.ico");
        var svg = await client.GetAsync("/favicon.svg");
        var page = await client.GetStringAsync("/account/sign-in");

        Assert.Equal(HttpStatusCode.OK, ico.StatusCode);
        Assert.Equal("image/x-icon", ico.Content.Headers.ContentType!.MediaType);
        // An icon file starts with a reserved zero and type 1.
        Assert.Equal(new byte[] { 0, 0, 1, 0 }, (await ico.Content.ReadAsByteArrayAsync())[..4]);
        Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("<svg", await svg.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("<link rel=\"icon\" href=\"/favicon.svg\"", page, StringComparison.Ordinal);
        Assert.Contains("<link rel=\"icon\" href=\"/favicon.ico\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthzAnswers200WhenTheDatabaseDoes()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();

        var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SignInPageIsVietnameseByDefaultAndEnglishOnRequest()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();

        var vietnamese = await client.GetStringAsync("/account/sign-in");
        var token = await TestApp.AntiforgeryTokenAsync(client, "/account/sign-in");
        var switched = await client.PostAsync("/culture", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["culture"] = "en-US",
            ["returnUrl"] = "/account/sign-in",
            ["__RequestVerificationToken"] = token,
        }));
        var english = await client.GetStringAsync("/account/sign-in");

        Assert.Contains("<html lang=\"vi\">", vietnamese, StringComparison.Ordinal);
        Assert.Contains("Mật khẩu", vietnamese, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/account/sign-in", switched.Headers.Location!.OriginalString);
        Assert.Contains("<html lang=\"en\">", english, StringComparison.Ordinal);
        Assert.Contains("Password", english, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HomePageFormatsNumbersAndDatesTheVietnameseWay()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("analyst", PostalPeak.Accounts.Roles.Analyst);
        using var client = await app.SignedInClientAsync("analyst", antiforgeryHeader: true);

        var html = await client.GetStringAsync("/");

        Assert.Matches(@"Hôm nay là \d{2}/\d{2}/\d{4}\.", html);
        Assert.Contains("Đơn vị hành chính đang áp dụng: 166", html, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryTextHasAVietnameseAndAnEnglishVersion()
    {
        var folder = Path.Combine(Storage.MigrationTests.RepositoryRoot(), "src", "PostalPeak", "Shell");
        static Dictionary<string, string> Read(string file) => XDocument.Load(file).Root!.Elements("data")
            .ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value);

        var vietnamese = Read(Path.Combine(folder, "Text.resx"));
        var english = Read(Path.Combine(folder, "Text.en.resx"));

        Assert.Equal(vietnamese.Keys.Order(), english.Keys.Order());
        Assert.All(vietnamese, pair => Assert.False(string.IsNullOrWhiteSpace(pair.Value), pair.Key));
        Assert.All(english, pair => Assert.False(string.IsNullOrWhiteSpace(pair.Value), pair.Key));
    }

    [Theory]
    [InlineData("đang phát")] // "phát" is to deliver: an alert is never delivered
    [InlineData("phát cảnh báo")]
    [InlineData("Kỷ luật báo cáo")] // the directive says "chế độ thông tin báo cáo"
    [InlineData("Nhật ký kiểm tra")] // the log records actions, it inspects nothing
    [InlineData("Chờ xác nhận")] // a pending alert needs nobody to act
    [InlineData("Đang cảnh báo")]
    public void NoVietnameseTextUsesAPhraseTheGlossaryAvoids(string phrase)
    {
        var file = Path.Combine(Storage.MigrationTests.RepositoryRoot(), "src", "PostalPeak", "Shell", "Text.resx");
        var texts = XDocument.Load(file).Root!.Elements("data").Select(d => (Key: d.Attribute("name")!.Value, Value: d.Element("value")!.Value));

        Assert.Empty(texts.Where(t => t.Value.Contains(phrase, StringComparison.OrdinalIgnoreCase)).Select(t => t.Key));
    }

    [Fact]
    public void EveryTextTakesTheSamePlaceholdersInBothLanguages()
    {
        var folder = Path.Combine(Storage.MigrationTests.RepositoryRoot(), "src", "PostalPeak", "Shell");
        static Dictionary<string, string> Read(string file) => XDocument.Load(file).Root!.Elements("data")
            .ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value);
        static string Placeholders(string text) => string.Join(" ", System.Text.RegularExpressions.Regex
            .Matches(text, @"\{([A-Za-z0-9_]+)(?::[^}]*)?\}").Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal));
        // Vietnamese names the missing thing by its key alone ("Không tìm thấy '{1}'"), English says what it is ("No {0} '{1}'").
        string[] sayLess = ["Error.not_found"];

        var vietnamese = Read(Path.Combine(folder, "Text.resx"));
        var english = Read(Path.Combine(folder, "Text.en.resx"));

        // A misspelt {name} in one language would print as itself instead of the value.
        Assert.All(vietnamese.Where(pair => !sayLess.Contains(pair.Key) && english.ContainsKey(pair.Key)),
            pair => Assert.True(Placeholders(pair.Value) == Placeholders(english[pair.Key]), pair.Key));
    }

    [Fact]
    public async Task OpenApiDocumentDescribesTheApi()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();

        var document = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/openapi.json");

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.Contains("/api/v1/carriers", paths);
        Assert.Contains("/api/v1/carriers/{carrierCode}/tokens", paths);
        Assert.Contains("/api/v1/carriers/{carrierCode}/service-units", paths);
        Assert.Contains("/api/v1/me", paths);
    }

    [Fact]
    public async Task APageOrChartThatDoesNotExistIsA404ThatSaysWhatInTheReadersLanguage()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("analyst", PostalPeak.Accounts.Roles.Analyst);
        using var analyst = await app.SignedInClientAsync("analyst");

        var alert = await analyst.GetAsync("/alerts/999999");
        var upload = await analyst.GetAsync("/uploads/999999");
        var chart = await analyst.GetAsync("/charts/nonsense.png");
        var english = await analyst.GetAsync("/alerts/999999?culture=en-US");
        var noRoute = await analyst.GetAsync("/alerts/not-a-number");
        var apiNoRoute = await analyst.GetAsync("/api/v1/alerts/not-a-number");

        foreach (var response in new[] { alert, upload, chart, english, noRoute, apiNoRoute })
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Không tìm thấy &#x27;999999&#x27;", await alert.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Không có trang này", await upload.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Không có biểu đồ này. Các biểu đồ: backlog", await chart.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("No alert &#x27;999999&#x27;", await english.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("text/html", noRoute.Content.Headers.ContentType?.MediaType);
        Assert.Equal("application/problem+json", apiNoRoute.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task MalformedJsonGets400ProblemNot500()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", PostalPeak.Accounts.Roles.Admin);
        using var admin = await app.SignedInClientAsync("admin", antiforgeryHeader: true);

        var response = await admin.PostAsync("/api/v1/carriers", new StringContent("{\"code\": ", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("request body as JSON", (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("title").GetString(),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFormatOrChartMetricThatDoesNotExistIsRefusedWithA400()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("analyst", PostalPeak.Accounts.Roles.Analyst);
        using var analyst = await app.SignedInClientAsync("analyst");

        foreach (var path in new[] { "/api/v1/indicators?format=xml", "/api/v1/compliance?format=xml", "/api/v1/calendar/tet?from=2026&to=2027&format=xml" })
        {
            var response = await analyst.GetAsync(path);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalid_format", (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("code").GetString());
        }
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync("/api/v1/calendar/tet?from=2026&to=2027&format=JSON")).StatusCode);
        var chart = await analyst.GetAsync("/charts/heatmap.png?metric=nope");
        Assert.Equal(HttpStatusCode.BadRequest, chart.StatusCode);
        Assert.Contains("Không có chỉ số này. Các chỉ số: closing", await chart.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AQueryParameterThatCannotBeReadIsNamedInThe400()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("analyst", PostalPeak.Accounts.Roles.Analyst);
        using var analyst = await app.SignedInClientAsync("analyst");

        var season = await analyst.GetAsync("/api/v1/indicators?season=abc");
        var date = await analyst.GetAsync("/api/v1/alerts?from=2026-13-01");

        foreach (var (response, parameter, value) in new[] { (season, "season", "abc"), (date, "from", "2026-13-01") })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            Assert.Equal("bad_request", problem.GetProperty("code").GetString());
            Assert.Contains(parameter, problem.GetProperty("title").GetString(), StringComparison.Ordinal);
            Assert.Contains(value, problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task InvalidInputGets400WithAStableCode()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", PostalPeak.Accounts.Roles.Admin);
        using var admin = await app.SignedInClientAsync("admin", antiforgeryHeader: true);

        var badCode = await admin.PostAsJsonAsync("/api/v1/carriers", new { code = "a b", name = "Spaces" });
        await admin.PostAsJsonAsync("/api/v1/carriers", new { code = "ALPHA", name = "Alpha" });
        var duplicate = await admin.PostAsJsonAsync("/api/v1/carriers", new { code = "alpha", name = "Alpha again" });

        Assert.Equal(HttpStatusCode.BadRequest, badCode.StatusCode);
        Assert.Equal("invalid_carrier_code", (await badCode.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal("carrier_exists", (await duplicate.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("code").GetString());
    }
}
