using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Accounts;
using PostalPeak.Audit;

namespace PostalPeak.Tests.Audit;

public sealed partial class AuditPageTests
{
    [Fact]
    public async Task TheAuditPageListsTheNewestFirstAndFiltersByActorActionEntityAndDay()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", Roles.Admin);
        await app.AddCarrierAsync("ALPHA");
        await app.Services.GetRequiredService<Users>().SetPasswordAsync("admin", "another-password-1", Actor.CommandLine());
        using var admin = await app.SignedInClientAsync("admin", "another-password-1", antiforgeryHeader: true);
        await admin.PutAsJsonAsync("/api/v1/carriers/ALPHA/contacts", new { contact_emails = new[] { "duty@alpha.example" } });
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, zone));
        var tomorrow = today.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var all = await admin.GetStringAsync("/admin/audit");
        var byCarrierActions = await admin.GetStringAsync("/admin/audit?action=carrier.");
        var byActor = await admin.GetStringAsync("/admin/audit?actor=cli:");
        var byEntity = await admin.GetStringAsync("/admin/audit?entity=user");
        var fromTomorrow = await admin.GetStringAsync($"/admin/audit?from={tomorrow}");
        var badDay = await admin.GetAsync("/admin/audit?from=31/12/2026");

        Assert.True(all.IndexOf("carrier.contacts", StringComparison.Ordinal) < all.IndexOf("carrier.add", StringComparison.Ordinal), "newest first");
        Assert.Contains(today.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture), all, StringComparison.Ordinal);
        Assert.Contains("{\"emails\":[\"duty@alpha.example\"],\"contactPhone\":null}", System.Net.WebUtility.HtmlDecode(all), StringComparison.Ordinal);
        Assert.Equal(2, Rows(byCarrierActions));
        Assert.DoesNotContain("user.add", byCarrierActions, StringComparison.Ordinal);
        Assert.Equal(["user.password", "carrier.add", "user.add"], Actions(byActor));
        Assert.All(Actions(byEntity), action => Assert.StartsWith("user.", action, StringComparison.Ordinal));
        Assert.Contains("user.sign_in", Actions(byEntity));
        Assert.Equal(0, Rows(fromTomorrow));
        Assert.Contains("Không có mục nào khớp", fromTomorrow, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badDay.StatusCode);
    }

    [Fact]
    public async Task TheAuditApiTakesTheSameFilters()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", Roles.Admin);
        await app.AddCarrierAsync("ALPHA");
        using var admin = await app.SignedInClientAsync("admin", antiforgeryHeader: true);

        var entries = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=carrier.&actor=cli:");
        var invalid = await admin.GetAsync("/api/v1/audit?to=tomorrow");

        Assert.Equal("carrier.add", Assert.Single(entries.EnumerateArray()).GetProperty("action").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("invalid_date", (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task OnlyAdminsSeeTheAuditPageAndItsLink()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", Roles.Admin);
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var admin = await app.SignedInClientAsync("admin", antiforgeryHeader: true);
        using var analyst = await app.SignedInClientAsync("analyst", antiforgeryHeader: true);

        var refused = await analyst.GetAsync("/admin/audit");

        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/account/denied", refused.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Contains("href=\"/admin/audit\"", await admin.GetStringAsync("/"), StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/admin/audit\"", await analyst.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "Đăng nhập")]
    [InlineData("&culture=en-US", "Signed in")]
    public async Task EachAuditEntryNamesItsActionInWordsWithTheCodeOnlyInSmallPrint(string culture, string signedIn)
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", Roles.Admin);
        using var admin = await app.SignedInClientAsync("admin", antiforgeryHeader: true);

        var page = await admin.GetStringAsync($"/admin/audit?action=user.sign_in{culture}");

        Assert.Contains($"<td data-action=\"user.sign_in\">{System.Net.WebUtility.HtmlEncode(signedIn)} <small><code>user.sign_in</code></small></td>", page, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryActionWrittenToTheAuditLogHasANameInBothLanguages()
    {
        var codes = Directory.GetFiles(Path.Combine(Storage.MigrationTests.RepositoryRoot(), "src"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => AuditWrites().Matches(File.ReadAllText(file)))
            .SelectMany(write => ActionCode().Matches(write.Value).Select(code => code.Groups["code"].Value))
            .ToHashSet(StringComparer.Ordinal);
        var folder = Path.Combine(Storage.MigrationTests.RepositoryRoot(), "src", "PostalPeak", "Shell");
        static HashSet<string> Keys(string file) => System.Xml.Linq.XDocument.Load(file).Root!.Elements("data")
            .Select(d => d.Attribute("name")!.Value).ToHashSet(StringComparer.Ordinal);
        var vietnamese = Keys(Path.Combine(folder, "Text.resx"));
        var english = Keys(Path.Combine(folder, "Text.en.resx"));

        Assert.Contains("user.sign_in", codes);
        Assert.Contains("alert_rule.create", codes);
        Assert.All(codes, code => Assert.True(vietnamese.Contains($"Audit.Action.{code}") && english.Contains($"Audit.Action.{code}"),
            $"no Audit.Action.{code} in Text.resx and Text.en.resx"));
    }

    /// <summary>A call that writes an audit entry, up to the end of its statement.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"AuditLog\.WriteAsync\([^;]*;")]
    private static partial System.Text.RegularExpressions.Regex AuditWrites();

    /// <summary>An action code: a quoted word, a dot, a word ("user.sign_in"); the target types have no dot.</summary>
    [System.Text.RegularExpressions.GeneratedRegex("\"(?<code>[a-z_]+\\.[a-z_]+)\"")]
    private static partial System.Text.RegularExpressions.Regex ActionCode();

    private static int Rows(string page) =>
        page.Contains("data-test=\"audit\"", StringComparison.Ordinal) ? Actions(page).Count : 0;

    private static List<string> Actions(string page) =>
        System.Text.RegularExpressions.Regex.Matches(page, "<td data-action=\"([a-z_.]+)\">").Select(m => m.Groups[1].Value).ToList();
}
