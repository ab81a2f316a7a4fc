using System.Text.Json;

namespace PostalPeak.Tests.Calendar;

public sealed class TetApiTests
{
    [Fact]
    public async Task TheApiListsTetDatesAsJsonAndCsvWithoutSignIn()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();

        var json = await client.GetFromJsonAsync<JsonElement>("/api/v1/calendar/tet?from=2023&to=2027");
        var csv = await client.GetStringAsync("/api/v1/calendar/tet?from=2029&to=2030&format=csv");

        var first = json.EnumerateArray().First();
        Assert.Equal(5, json.GetArrayLength());
        Assert.Equal("2023-01-22", first.GetProperty("date").GetString());
        Assert.Equal("Quý Mão", first.GetProperty("year_name").GetString());
        Assert.Equal("2027-02-06", json[4].GetProperty("date").GetString());
        Assert.Equal(["year,date,year_name", "2029,2029-02-13,Kỷ Dậu", "2030,2030-02-02,Canh Tuất"],
            csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task TheFirstAndLastYearsOfTheCalendarAreGiven()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();

        var first = await client.GetFromJsonAsync<JsonElement>("/api/v1/calendar/tet?from=1900&to=1900");
        var last = await client.GetFromJsonAsync<JsonElement>("/api/v1/calendar/tet?from=2100&to=2100");

        Assert.Equal(("1900-01-31", "Canh Tý"), (first[0].GetProperty("date").GetString(), first[0].GetProperty("year_name").GetString()));
        Assert.Equal("2100-02-09", last[0].GetProperty("date").GetString());
    }

    [Theory]
    [InlineData(1800, 1801)]
    [InlineData(1899, 1900)]
    [InlineData(2100, 2101)]
    [InlineData(2025, 2024)]
    public async Task AYearOutsideTheCalendarGets400(int from, int to)
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();

        var response = await client.GetAsync($"/api/v1/calendar/tet?from={from}&to={to}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_year_range", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task TheTetCommandPrintsTheDatesAsJson()
    {
        var result = await Cli.CommandLineTests.RunAsync(new Dictionary<string, string>(), "tet", "--from", "2025", "--to", "2026", "--json");

        Assert.Equal(0, result.ExitCode);
        var days = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal("2025-01-29", days[0].GetProperty("date").GetString());
        Assert.Equal("Bính Ngọ", days[1].GetProperty("year_name").GetString());
    }

    [Fact]
    public async Task TheTetCommandGivesTet1900()
    {
        var result = await Cli.CommandLineTests.RunAsync(new Dictionary<string, string>(), "tet", "--from", "1900", "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("1900-01-31", JsonDocument.Parse(result.Output).RootElement[0].GetProperty("date").GetString());
    }
}
