using System.Text.Json;
using PostalPeak.Accounts;

namespace PostalPeak.Tests.Shell;

/// <summary>A refused query tells a signed-in person what is wrong in the page's language, with the particulars.</summary>
public sealed class RefusalLanguageTests
{
    [Theory]
    [InlineData("/api/v1/indicators?groupBy=week", "invalid_group_by", "Tham số groupBy phải là một trong: day, ")]
    [InlineData("/api/v1/indicators?by=district", "invalid_by", "Tham số by phải là một trong: ")]
    [InlineData("/api/v1/calendar/tet?from=1899&to=1900", "invalid_year_range", "Hãy chọn các năm từ 1900 đến 2100")]
    public async Task ABadQueryIsExplainedInVietnameseToAPersonAndInEnglishToATokenClient(string url, string code, string vietnamese)
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var person = await app.SignedInClientAsync("analyst");
        await app.AddCarrierAsync("ALPHA");
        using var machine = app.Client(await app.CreateTokenAsync("ALPHA"));

        var toPerson = await person.GetAsync(url);
        var toMachine = await machine.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, toPerson.StatusCode);
        var said = await toPerson.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, said.GetProperty("code").GetString());
        Assert.StartsWith(vietnamese, said.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, toMachine.StatusCode);
        var english = (await toMachine.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.DoesNotContain("Tham số", english, StringComparison.Ordinal);
        Assert.DoesNotContain("Hãy chọn", english, StringComparison.Ordinal);
    }
}
