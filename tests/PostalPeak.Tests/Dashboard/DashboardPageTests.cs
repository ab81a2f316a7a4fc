using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Tests.Indicators;

namespace PostalPeak.Tests.Dashboard;

/// <summary>The dashboard's pages on the sample seasons: the heatmap's table and every chart's text alternative.</summary>
[Collection(SampleSeasonsDatabase.Collection)]
public sealed partial class DashboardPageTests(SampleSeasonsDatabase sample)
{
    private const string HeatmapQuery = "season=2026&carrier=HOATOC&metric=days_to_clear";

    [GeneratedRegex("<th class=\"num\">([^<]*)</th>")]
    private static partial Regex DayHeader();

    [GeneratedRegex("<th scope=\"row\">[^<]*\\((\\w+)\\)</th>")]
    private static partial Regex UnitHeader();

    [GeneratedRegex("<td class=\"num(?: band (\\w+)| worst)?\">([^<]*)</td>")]
    private static partial Regex Cell();

    [GeneratedRegex("<img [^>]*alt=\"([^\"]*)\"")]
    private static partial Regex ImageAlt();

    /// <summary>The fields of a CSV line, quotes undone.</summary>
    private static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (quoted && line[i] == '"' && i + 1 < line.Length && line[i + 1] == '"')
                field.Append(line[++i]);
            else if (line[i] == '"')
                quoted = !quoted;
            else if (line[i] == ',' && !quoted)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
                field.Append(line[i]);
        }
        fields.Add(field.ToString());
        return fields;
    }

    /// <summary>(unit, dd/MM) → the figure, or "" when the row is there without one.</summary>
    private static Dictionary<(string Unit, string Day), string> HeatmapCsv(string csv) => HeatmapCsv(csv, "days_to_clear");

    /// <summary>(unit, dd/MM) → that column's value.</summary>
    private static Dictionary<(string Unit, string Day), string> HeatmapCsv(string csv, string column)
    {
        var lines = csv.TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var header = Fields(lines[0]);
        int Column(string name) => header.IndexOf(name);
        return lines.Skip(1).Select(Fields).ToDictionary(
            f => (f[Column("unit_code")], DateOnly.ParseExact(f[Column("report_date")], "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("dd/MM", CultureInfo.InvariantCulture)),
            f => f[Column(column)]);
    }

    /// <summary>(unit, dd/MM) → (text, its colour band's class, "" when none) for every cell of the table.</summary>
    private static Dictionary<(string Unit, string Day), (string Text, string Band)> HeatmapTable(string page)
    {
        var start = page.IndexOf("data-test=\"heatmap-table\"", StringComparison.Ordinal);
        Assert.True(start > 0, "the heatmap page has no table");
        var table = page[start..page.IndexOf("</table>", start, StringComparison.Ordinal)];
        var days = DayHeader().Matches(table[..table.IndexOf("</thead>", StringComparison.Ordinal)]).Select(m => m.Groups[1].Value).ToList();
        var cells = new Dictionary<(string, string), (string, string)>();
        foreach (var row in table.Split("<tr>").Skip(2))
        {
            var unit = UnitHeader().Match(row).Groups[1].Value;
            var values = Cell().Matches(row).ToList();
            Assert.Equal(days.Count, values.Count);
            for (var d = 0; d < days.Count; d++)
                cells[(unit, days[d])] = (values[d].Groups[2].Value, values[d].Groups[1].Value);
        }
        return cells;
    }

    [Theory]
    [InlineData("vi-VN")]
    [InlineData("en-US")]
    public async Task TheHeatmapPageListsTheSameFiguresAsTheHeatmapCsvInTheReadersNumbers(string culture)
    {
        using var client = await sample.App.SignedInClientAsync("analyst");

        var csvText = await client.GetStringAsync($"/charts/heatmap.csv?{HeatmapQuery}");
        var csv = HeatmapCsv(csvText);
        var phases = HeatmapCsv(csvText, "phase");
        var page = await client.GetStringAsync($"/heatmap?{HeatmapQuery}&culture={culture}");
        var rule = (await sample.App.Services.GetRequiredService<PostalPeak.Alerts.AlertRules>().ListAsync(null)).Single(r => r.Code == "backlog_days_to_clear");

        var table = HeatmapTable(page);
        var numbers = CultureInfo.GetCultureInfo(culture);
        var units = csv.Keys.Select(k => k.Unit).Distinct().ToList();
        Assert.Equal(units.Order(StringComparer.Ordinal), table.Keys.Select(k => k.Unit).Distinct().Order(StringComparer.Ordinal));
        foreach (var ((unit, day), cell) in table)
        {
            if (!csv.TryGetValue((unit, day), out var figure) || figure.Length == 0)
            {
                Assert.True(cell.Text.Length == 0, $"{unit} on {day}: '{cell.Text}' where the CSV has no figure");
                continue;
            }
            // One decimal on the page: within half a tenth of the CSV's figure, read in the page's culture.
            var shown = double.Parse(cell.Text, NumberStyles.Number, numbers);
            Assert.True(Math.Abs(shown - double.Parse(figure, CultureInfo.InvariantCulture)) <= 0.05 + 1e-9, $"{unit} on {day}: page {cell.Text}, CSV {figure}");
        }
        Assert.Contains(table.Values, c => c.Text.Contains(numbers.NumberFormat.NumberDecimalSeparator, StringComparison.Ordinal));

        // Each cell's colour is the alert rule's verdict with the threshold of its day's phase: amber past it, green
        // within, grey where the rule is muted (the holiday, when days to clear runs past 100 by nature).
        var figures = csv.Values.Where(v => v.Length > 0).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).Order().ToList();
        foreach (var (key, figure) in csv.Where(c => c.Value.Length > 0))
        {
            var phase = rule.Phases.FirstOrDefault(p => p.Phase == phases[key]);
            var expected = phase is { Muted: true } ? "off"
                : double.Parse(figure, CultureInfo.InvariantCulture) > (phase?.Threshold ?? rule.Threshold) ? "warn" : "ok";
            Assert.True(expected == table[key].Band, $"{key.Unit} on {key.Day} ({phases[key]}): {figure} is '{table[key].Band}', expected '{expected}'");
        }
        Assert.Contains(table.Values, c => c.Band == "warn");
        Assert.Contains(table.Values, c => c.Band == "off");
        Assert.True(figures[^1] > 100, $"the holiday's days to clear peaks at {figures[^1]}");
    }

    [Fact]
    public async Task TheHeatmapImageSaysWhatItShowsAndWhereItIsWorst()
    {
        using var client = await sample.App.SignedInClientAsync("analyst");

        var csv = HeatmapCsv(await client.GetStringAsync($"/charts/heatmap.csv?{HeatmapQuery}"));
        var page = await client.GetStringAsync($"/heatmap?{HeatmapQuery}");
        var english = await client.GetStringAsync($"/heatmap?{HeatmapQuery}&culture=en-US");

        var alt = WebUtility.HtmlDecode(ImageAlt().Match(page).Groups[1].Value);
        var worst = csv.Where(c => c.Value.Length > 0).MaxBy(c => double.Parse(c.Value, CultureInfo.InvariantCulture)).Key;
        var units = csv.Keys.Select(k => k.Unit).Distinct().Count();
        Assert.StartsWith("Số ngày giải tỏa của HOATOC: ", alt, StringComparison.Ordinal);
        Assert.Contains($"{units} đơn vị × 46 ngày (18/01–04/03)", alt, StringComparison.Ordinal);
        Assert.Contains($"({worst.Unit}) ngày {worst.Day}", alt, StringComparison.Ordinal);
        Assert.Contains($"{units} units × 46 days", WebUtility.HtmlDecode(ImageAlt().Match(english).Groups[1].Value), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimeChartsOfASeasonLabelTheirDatesWithTheLunarDay()
    {
        using var client = await sample.App.SignedInClientAsync("analyst");

        var svg = await client.GetStringAsync("/charts/backlog.svg?season=2026&width=900&height=400");
        var english = await client.GetStringAsync("/charts/intake.svg?season=2026&width=900&height=400&culture=en-US");

        foreach (var text in new[] { "17/02", "Mùng 1 Tết", "10/02", "23 Tết", "24/02", "Mùng 8 Tết" })
        {
            Assert.Contains(text, svg, StringComparison.Ordinal);
            Assert.Contains(text, english, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/dashboard?season=2026&day=2026-02-07", "18/01–04/03")]
    [InlineData("/series?season=2026&carrier=HOATOC", "HOATOC")]
    [InlineData("/series?season=2026&carrier=HOATOC&unit=15853", "15853")]
    [InlineData("/compare?season=2025&season=2026&unit=14758", "14758")]
    [InlineData("/heatmap?season=2026", "tất cả doanh nghiệp")]
    public async Task EveryChartImageHasASentenceFromItsFiguresForText(string address, string subject)
    {
        using var client = await sample.App.SignedInClientAsync("analyst");

        var page = await client.GetStringAsync(address);

        var alts = ImageAlt().Matches(page).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
        Assert.NotEmpty(alts);
        Assert.All(alts, alt =>
        {
            Assert.Contains(subject, alt, StringComparison.Ordinal);
            Assert.Matches(@"\d{2}/\d{2}|T[+-]\d", alt);
            Assert.EndsWith(".", alt, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task TheSampleSeasonIsCompleteThroughItsLastDaySoItsOverviewHeadlinesThatDay()
    {
        using var client = await sample.App.SignedInClientAsync("analyst");

        var overview = await client.GetFromJsonAsync<PostalPeak.Dashboard.OverviewData>("/api/v1/overview?season=2026",
            new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web) { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower });
        var page = await client.GetStringAsync("/dashboard?season=2026");

        // Every carrier sent every day's reports: the headline is the latest day, and nothing is arriving.
        var lastDay = overview!.LatestDay!.Value;
        Assert.Equal(lastDay, overview.ReportDay);
        Assert.Equal(overview.Coverage.ReportDay!.Expected, overview.Coverage.ReportDay.Reporting);
        Assert.Equal(6, overview.Carriers.Count);
        Assert.All(overview.Carriers, c => Assert.Equal((c.UnitsExpected, 0), (c.UnitsReporting, c.UnitsCarried)));
        Assert.Contains(lastDay.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture), page);
        Assert.DoesNotContain("data-test=\"arriving\"", page);
        Assert.DoesNotContain("data-test=\"partial-day\"", page);
    }
}
