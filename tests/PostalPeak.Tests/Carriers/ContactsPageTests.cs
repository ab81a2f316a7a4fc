using Dapper;
using PostalPeak.Accounts;

namespace PostalPeak.Tests.Carriers;

public sealed class ContactsPageTests
{
    [Fact]
    public async Task AManagerChangesItsOwnCarriersPhoneButIsRefusedAnotherCarrier()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("OWN");
        await app.AddCarrierAsync("OTHER");
        await app.AddUserAsync("manager", Roles.CarrierManager, "OWN");
        using var manager = await app.SignedInClientAsync("manager");

        var form = await manager.GetStringAsync("/carriers/own/contacts");
        // The addresses are read-only on a manager's form, so the browser posts the phone alone.
        var saved = await PageForms.PostAsync(manager, "/carriers/OWN/contacts", new Dictionary<string, string> { ["Phone"] = " 0237 3852 000 " });
        var other = await manager.GetAsync("/carriers/OTHER/contacts");
        // A valid token from its own page does not open another carrier's form either.
        var otherPost = await PageForms.PostAsync(manager, "/carriers/OWN/contacts", new Dictionary<string, string> { ["Emails"] = "evil@x.example" },
            "/carriers/OTHER/contacts");

        Assert.Contains("value=\"ops@own.example\"", form, StringComparison.Ordinal);
        Assert.Contains("disabled", form, StringComparison.Ordinal);
        Assert.Contains("Email liên hệ do quản trị viên của Sở đặt", System.Net.WebUtility.HtmlDecode(form), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Contains("Đã lưu liên hệ của OWN", await saved.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(IsRefused(other), $"{(int)other.StatusCode} {other.Headers.Location}");
        Assert.True(IsRefused(otherPost), $"{(int)otherPost.StatusCode} {otherPost.Headers.Location}");
        await using var connection = await app.Db.OpenConnectionAsync();
        var contacts = (await connection.QueryAsync<(string Code, string[] Emails, string? Phone)>(
            "select code, contact_emails, contact_phone from carrier order by code")).ToList();
        Assert.Equal(["ops@other.example"], contacts.Single(c => c.Code == "OTHER").Emails);
        var own = contacts.Single(c => c.Code == "OWN");
        Assert.Equal(["ops@own.example"], own.Emails);
        Assert.Equal("0237 3852 000", own.Phone);
        Assert.Equal(1, await app.CountAuditAsync("carrier.contacts"));
    }

    [Fact]
    public async Task AManagerCannotPointItsCarriersAlertEmailsElsewhereOnThePageOrTheApi()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("OWN");
        await app.AddCarrierAsync("OTHER");
        await app.AddUserAsync("manager", Roles.CarrierManager, "OWN");
        await app.AddUserAsync("admin", Roles.Admin);
        using var page = await app.SignedInClientAsync("manager");
        using var api = await app.SignedInClientAsync("manager", antiforgeryHeader: true);
        using var admin = await app.SignedInClientAsync("admin", antiforgeryHeader: true);

        var forged = await PageForms.PostAsync(page, "/carriers/OWN/contacts", new Dictionary<string, string> { ["Emails"] = "ops@other.example", ["Phone"] = "1" });
        var redirected = await api.PutAsJsonAsync("/api/v1/carriers/OWN/contacts", new { contact_emails = new[] { "ops@other.example" }, contact_phone = "2" });
        var phoneOnly = await api.PutAsJsonAsync("/api/v1/carriers/OWN/contacts", new { contact_phone = "0237 3852 000" });
        var sameAddresses = await api.PutAsJsonAsync("/api/v1/carriers/OWN/contacts", new { contact_emails = new[] { "OPS@own.example" }, contact_phone = "0237 3852 001" });
        var byAdmin = await admin.PutAsJsonAsync("/api/v1/carriers/own/contacts", new { contact_emails = new[] { "duty@own.example" }, contact_phone = "0237 3852 002" });

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Contains("Chỉ quản trị viên của Sở mới đổi được email liên hệ", System.Net.WebUtility.HtmlDecode(await forged.Content.ReadAsStringAsync()),
            StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, redirected.StatusCode);
        Assert.Equal("contacts_department_only", (await redirected.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, phoneOnly.StatusCode);
        Assert.Equal(HttpStatusCode.OK, sameAddresses.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byAdmin.StatusCode);
        await using var connection = await app.Db.OpenConnectionAsync();
        var own = await connection.QuerySingleAsync<(string[] Emails, string? Phone)>("select contact_emails, contact_phone from carrier where code = 'OWN'");
        Assert.Equal(["duty@own.example"], own.Emails);
        Assert.Equal("0237 3852 002", own.Phone);
        // Every change that went through is in the audit log, with who made it.
        var audited = (await connection.QueryAsync<string>("select actor from audit_log where action = 'carrier.contacts' order by id")).ToList();
        Assert.Equal(["manager", "manager", "admin"], audited);
    }

    [Fact]
    public async Task AnAdminEditsAnyCarriersContactsAndAWrongAddressIsExplainedBesideTheForm()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("ALPHA");
        await app.AddUserAsync("admin", Roles.Admin);
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var admin = await app.SignedInClientAsync("admin");
        using var analyst = await app.SignedInClientAsync("analyst");

        var wrong = await PageForms.PostAsync(admin, "/carriers/ALPHA/contacts", new Dictionary<string, string> { ["Emails"] = "not-an-address" });
        var right = await PageForms.PostAsync(admin, "/carriers/ALPHA/contacts", new Dictionary<string, string> { ["Emails"] = "duty@alpha.example", ["Phone"] = "" });
        var list = await admin.GetStringAsync("/carriers");

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("&#x27;not-an-address&#x27; không phải là địa chỉ email", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("duty@alpha.example", list, StringComparison.Ordinal);
        Assert.Contains("href=\"/carriers/ALPHA/contacts\"", list, StringComparison.Ordinal);
        Assert.True(IsRefused(await analyst.GetAsync("/carriers/ALPHA/contacts")));
        Assert.Equal(1, await app.CountAuditAsync("carrier.contacts"));
    }

    private static bool IsRefused(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Forbidden
        || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/account/denied", StringComparison.Ordinal));
}
