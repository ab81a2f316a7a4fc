using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Accounts;
using PostalPeak.Alerts;
using PostalPeak.Tests.Indicators;

namespace PostalPeak.Tests.Dashboard;

/// <summary>The heatmap's colours and colour key come from the metric's alert rules, and follow a rule when it changes.</summary>
public sealed partial class HeatmapLegendTests
{
    private static readonly JsonSerializerOptions SnakeCase = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private const string Query = "season=2024&carrier=HOATOC&metric=days_to_clear";

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex("<th class=\"num\">([^<]*)</th>")]
    private static partial Regex DayHeader();

    [GeneratedRegex("<th scope=\"row\">[^<]*\\((\\w+)\\)</th>")]
    private static partial Regex UnitHeader();

    [GeneratedRegex("<td class=\"num(?: band (\\w*))?\">([^<]*)</td>")]
    private static partial Regex Cell();

    /// <summary>The colour key as a person reads it.</summary>
    private static string Legend(string page)
    {
        var start = page.IndexOf("data-test=\"heatmap-legend\"", StringComparison.Ordinal);
        Assert.True(start > 0, "the heatmap page has no colour key");
        return WebUtility.HtmlDecode(Tags().Replace(page[start..page.IndexOf("</section>", start, StringComparison.Ordinal)], " "));
    }

    /// <summary>(unit, dd/MM) → the band class of the cell ("ok", "warn", "bad", "off").</summary>
    private static Dictionary<(string Unit, string Day), string> Bands(string page)
    {
        var start = page.IndexOf("data-test=\"heatmap-table\"", StringComparison.Ordinal);
        var table = page[start..page.IndexOf("</table>", start, StringComparison.Ordinal)];
        var days = DayHeader().Matches(table[..table.IndexOf("</thead>", StringComparison.Ordinal)]).Select(m => m.Groups[1].Value).ToList();
        var bands = new Dictionary<(string, string), string>();
        foreach (var row in table.Split("<tr>").Skip(2))
        {
            var unit = UnitHeader().Match(row).Groups[1].Value;
            var cells = Cell().Matches(row).ToList();
            Assert.Equal(days.Count, cells.Count);
            for (var d = 0; d < days.Count; d++)
                if (cells[d].Groups[2].Value.Length > 0)
                    bands[(unit, days[d])] = cells[d].Groups[1].Value;
        }
        return bands;
    }

    [Fact]
    public async Task TheHeatmapsColourKeyQuotesTheRuleThresholdsAndFollowsARuleThatChanges()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("HOATOC");
        await app.AddUserAsync("admin", Roles.Admin);
        Assert.Equal("accepted", (await IndicatorTestData.IngestAsync(app, "HOATOC", GlossaryTests.Reports.Replace("\r\n", "\n", StringComparison.Ordinal))).Status);
        using var admin = await app.SignedInClientAsync("admin", antiforgeryHeader: true);
        var rule = (await app.Services.GetRequiredService<AlertRules>().ListAsync(null)).Single(r => r.Code == "backlog_days_to_clear");

        var before = await admin.GetStringAsync($"/heatmap?{Query}");
        var imageBefore = await admin.GetByteArrayAsync($"/charts/heatmap.png?{Query}&width=1000&height=700");
        var changed = await admin.PutAsJsonAsync($"/api/v1/alert-rules/{rule.Id}", rule with { Threshold = 6.5 }, SnakeCase);
        var created = await admin.PostAsJsonAsync("/api/v1/alert-rules", new
        {
            code = "backlog_days_critical", name_vi = "Tồn đọng rất lâu mới giải tỏa", name_en = "Backlog very slow to clear", metric = "days_to_clear",
            comparison = ">", threshold = 10, severity = "critical", channels = new[] { "email" },
        });
        var after = await admin.GetStringAsync($"/heatmap?{Query}");
        var english = await admin.GetStringAsync($"/heatmap?{Query}&culture=en-US");
        var imageAfter = await admin.GetByteArrayAsync($"/charts/heatmap.png?{Query}&width=1000&height=700");
        File.WriteAllBytes(Path.Combine(Directory.CreateDirectory(Path.Combine(Storage.MigrationTests.RepositoryRoot(), "TestResults", "charts")).FullName,
            "heatmap-legend.png"), imageAfter);
        var withoutRule = await admin.GetStringAsync("/heatmap?season=2024&carrier=HOATOC&metric=closing");

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        // The migration's rule: warning past 5 days, 8 in the run-up, 7 in the recovery, muted over the holiday.
        var legendBefore = Legend(before);
        Assert.Contains("Cần chú ý: Số ngày giải tỏa > 5 (theo giai đoạn: Cận Tết: 8; Nghỉ Tết: tắt; Sau Tết: 7)", legendBefore, StringComparison.Ordinal);
        Assert.DoesNotContain("Nghiêm trọng", legendBefore, StringComparison.Ordinal);
        Assert.DoesNotContain("phân bố", legendBefore, StringComparison.Ordinal);
        // 6 days to clear is past 5 in the peak, within 8 in the run-up; 3 is within; 12 is past 5 with no critical rule yet.
        var bandsBefore = Bands(before);
        Assert.Equal("warn", bandsBefore[("381", "20/01")]);
        Assert.Equal("ok", bandsBefore[("381", "05/02")]);
        Assert.Equal("ok", bandsBefore[("380", "20/01")]);
        Assert.Equal("warn", bandsBefore[("382", "20/01")]);
        Assert.Equal("warn", bandsBefore[("382", "05/02")]);

        var legendAfter = Legend(after);
        Assert.Contains("Cần chú ý: Số ngày giải tỏa > 6,5 (theo giai đoạn", legendAfter, StringComparison.Ordinal);
        Assert.Contains("Nghiêm trọng: Số ngày giải tỏa > 10", legendAfter, StringComparison.Ordinal);
        Assert.Contains("Warning: Days to clear > 6.5 (by phase: Run-up: 8; Holiday: muted; Recovery: 7)", Legend(english), StringComparison.Ordinal);
        var bandsAfter = Bands(after);
        Assert.Equal("ok", bandsAfter[("381", "20/01")]);
        Assert.Equal("bad", bandsAfter[("382", "20/01")]);
        Assert.Equal("bad", bandsAfter[("382", "05/02")]);
        Assert.Equal("ok", bandsAfter[("380", "22/01")]);
        // The image is drawn anew with the new thresholds, not served from the cache of the figures' version.
        Assert.NotEqual(imageBefore, imageAfter);

        // Closing has no alert rule: the season's own distribution, said in so many words.
        Assert.Contains("Thang màu theo phân bố của mùa, không có ngưỡng cảnh báo", Legend(withoutRule), StringComparison.Ordinal);
    }
}
