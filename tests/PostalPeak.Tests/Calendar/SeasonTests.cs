using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Accounts;
using PostalPeak.Calendar;

namespace PostalPeak.Tests.Calendar;

public sealed class SeasonTests
{
    [Fact]
    public void ADefaultSeasonLaysItsDaysAroundTet()
    {
        var season = new Season(2023, Seasons.DefaultName(2023), LunarCalendar.Tet(2023), Seasons.DefaultFrom, Seasons.DefaultTo, Seasons.DefaultPhases);
        var days = season.Days().ToList();

        Assert.Equal("Tết Quý Mão 2023", season.Name);
        Assert.Equal(46, days.Count);
        Assert.Equal((new DateOnly(2022, 12, 23), -30, "peak"), (days[0].Date, days[0].TetOffset, days[0].Phase));
        var tet = Assert.Single(days, d => d.TetOffset == 0);
        Assert.Equal((new DateOnly(2023, 1, 22), "holiday", "Mùng 1 Tết"), (tet.Date, tet.Phase, tet.TetLabel));
        Assert.Equal("run_up", days.Single(d => d.TetOffset == -1).Phase);
        Assert.Equal("30 Tết", days.Single(d => d.TetOffset == -1).TetLabel); // New Year's Eve 2023 was the 30th of tháng Chạp
        Assert.Equal(("recovery", new DateOnly(2023, 2, 6)), (days[^1].Phase, days[^1].Date));
        Assert.All(days, d => Assert.NotNull(d.Phase));
    }

    [Theory]
    [InlineData("2022-12-22", 2022)]
    [InlineData("2022-12-23", 2023)] // T-30 of Tết Quý Mão (22 January 2023)
    [InlineData("2023-03-01", 2023)]
    [InlineData("2023-12-31", 2023)] // Tết Giáp Thìn came late (10 February 2024): its window opens on 11 January
    [InlineData("2019-06-15", 2019)]
    public void ADayFallsToTheSeasonWhoseDefaultWindowHasBegun(string day, int year)
    {
        Assert.Equal(year, Seasons.DefaultYearOf(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task SeasonsAreGeneratedFromTheCalendarAndListedByTheApi()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var client = await app.SignedInClientAsync("analyst", antiforgeryHeader: true);

        var seasons = await client.GetFromJsonAsync<JsonElement>("/api/v1/seasons");
        var days = await client.GetFromJsonAsync<JsonElement>("/api/v1/seasons/2027/days");

        var years = seasons.EnumerateArray().Select(s => s.GetProperty("year").GetInt32()).ToList();
        Assert.Contains(2023, years);
        Assert.Contains(2027, years);
        var season2027 = seasons.EnumerateArray().Single(s => s.GetProperty("year").GetInt32() == 2027);
        Assert.Equal("2027-02-06", season2027.GetProperty("tet_date").GetString());
        Assert.Equal(4, season2027.GetProperty("phases").GetArrayLength());
        Assert.Equal(46, days.GetArrayLength());
        Assert.Equal("Mùng 1 Tết", days.EnumerateArray().Single(d => d.GetProperty("tet_offset").GetInt32() == 0).GetProperty("tet_label").GetString());
    }

    [Fact]
    public async Task AnAdminEditsASeasonAndTheChangeIsAudited()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", Roles.Admin);
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var admin = await app.SignedInClientAsync("admin", antiforgeryHeader: true);
        using var analyst = await app.SignedInClientAsync("analyst", antiforgeryHeader: true);
        var edit = new
        {
            name = "Tết Đinh Mùi (mở rộng)",
            from_offset = -35,
            to_offset = 20,
            phases = new object[]
            {
                new { code = "peak", name_vi = "Cao điểm", name_en = "Peak", from_offset = -35, to_offset = -8 },
                new { code = "run_up", name_vi = "Cận Tết", name_en = "Run-up", from_offset = -7, to_offset = -1 },
                new { code = "holiday", name_vi = "Nghỉ Tết", name_en = "Holiday", from_offset = 0, to_offset = 6 },
                new { code = "recovery", name_vi = "Sau Tết", name_en = "Recovery", from_offset = 7, to_offset = 20 },
            },
        };

        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.PutAsJsonAsync("/api/v1/seasons/2027", edit)).StatusCode);
        var response = await admin.PutAsJsonAsync("/api/v1/seasons/2027", edit);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var days = await admin.GetFromJsonAsync<JsonElement>("/api/v1/seasons/2027/days");
        Assert.Equal(56, days.GetArrayLength());
        Assert.Equal("holiday", days.EnumerateArray().Single(d => d.GetProperty("tet_offset").GetInt32() == 6).GetProperty("phase").GetString());
        Assert.Equal(1, await app.CountAuditAsync("season.update"));
    }

    [Fact]
    public async Task OverlappingPhasesAreRefused()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", Roles.Admin);
        using var admin = await app.SignedInClientAsync("admin", antiforgeryHeader: true);

        var response = await admin.PutAsJsonAsync("/api/v1/seasons/2027", new
        {
            name = "x", from_offset = -30, to_offset = 15,
            phases = new object[]
            {
                new { code = "peak", name_vi = "a", name_en = "a", from_offset = -30, to_offset = 0 },
                new { code = "holiday", name_vi = "b", name_en = "b", from_offset = 0, to_offset = 4 },
            },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("overlapping_phases", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task ASeasonEditWithoutPhasesOrWithAPhaseWithoutCodeIsA400NotAServerError()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", Roles.Admin);
        using var admin = await app.SignedInClientAsync("admin", antiforgeryHeader: true);

        var noPhases = await admin.PutAsJsonAsync("/api/v1/seasons/2027", new { name = "x", from_offset = -30, to_offset = 15 });
        var noCode = await admin.PutAsJsonAsync("/api/v1/seasons/2027", new
        {
            name = "x", from_offset = -30, to_offset = 15,
            phases = new object[] { new { name_vi = "a", name_en = "a", from_offset = -30, to_offset = 0 } },
        });
        var nullPhase = await admin.PutAsync("/api/v1/seasons/2027",
            new StringContent("""{"name":"x","from_offset":-30,"to_offset":15,"phases":[null]}""", System.Text.Encoding.UTF8, "application/json"));

        foreach (var response in new[] { noPhases, noCode, nullPhase })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("invalid_phase", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }
        Assert.Equal(4, (await app.Services.GetRequiredService<Seasons>().GetAsync(2027)).Phases.Count);
    }

    [Fact]
    public async Task TwoPhasesWithOneCodeAreRefusedEvenWhenTheirDaysDoNotOverlap()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("admin", Roles.Admin);
        using var admin = await app.SignedInClientAsync("admin", antiforgeryHeader: true);

        var response = await admin.PutAsJsonAsync("/api/v1/seasons/2027", new
        {
            name = "x", from_offset = -30, to_offset = 15,
            phases = new object[]
            {
                new { code = "peak", name_vi = "a", name_en = "a", from_offset = -30, to_offset = -8 },
                new { code = "holiday", name_vi = "b", name_en = "b", from_offset = 0, to_offset = 4 },
                new { code = "peak", name_vi = "c", name_en = "c", from_offset = 5, to_offset = 15 },
            },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("duplicate_phase_code", problem.GetProperty("code").GetString());
        Assert.Contains("'peak'", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        var season = await admin.GetFromJsonAsync<JsonElement>("/api/v1/seasons/2027");
        Assert.Equal(("Tết Đinh Mùi 2027", 4), (season.GetProperty("name").GetString(), season.GetProperty("phases").GetArrayLength()));
    }
}
