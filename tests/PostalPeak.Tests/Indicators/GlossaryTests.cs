using System.Globalization;
using System.Text.RegularExpressions;
using PostalPeak.Accounts;
using PostalPeak.Indicators;
using PostalPeak.Shell;

namespace PostalPeak.Tests.Indicators;

/// <summary>
/// The glossary page generated from the metric catalogue, and the definitions at hand beside every figure's name:
/// each name on the overview's tiles has a tooltip and an info link to its entry; a metric computed over three days on
/// a day and over the whole period on a phase or season row is named by its reading.
/// </summary>
public sealed partial class GlossaryTests
{
    /// <summary>
    /// HOATOC in three districts over three peak days of the 2024 season (Tết 10/02/2024) and one run-up day: 100 parcels
    /// received and delivered a day, backlogs of 300, 600 and 1,200, so days to clear of 3, 6 and 12.
    /// </summary>
    public const string Reports = """
        report_date,unit_code,received,delivered,backlog
        2024-01-20,380,100,100,300
        2024-01-20,381,100,100,600
        2024-01-20,382,100,100,1200
        2024-01-21,380,100,100,300
        2024-01-21,381,100,100,600
        2024-01-21,382,100,100,1200
        2024-01-22,380,100,100,300
        2024-01-22,381,100,100,600
        2024-01-22,382,100,100,1200
        2024-02-05,380,100,100,300
        2024-02-05,381,100,100,600
        2024-02-05,382,100,100,1200

        """;

    [GeneratedRegex("<dt(?<attributes>[^>]*)>(?<body>.*?)</dt>", RegexOptions.Singleline)]
    private static partial Regex Term();

    [GeneratedRegex("title=\"(?<title>[^\"]*)\"")]
    private static partial Regex Title();

    [GeneratedRegex("<a (?=[^>]*class=\"[^\"]*\\binfo\\b)(?=[^>]*aria-label=\"(?<label>[^\"]+)\")[^>]*href=\"/glossary#(?<code>[a-z0-9_]+)\"")]
    private static partial Regex InfoLink();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    private static string Text(string html) => WebUtility.HtmlDecode(Tags().Replace(html, "")).Trim();

    private static async Task<TestApp> AppWithFiguresAsync()
    {
        var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("HOATOC");
        await app.AddUserAsync("analyst", Roles.Analyst);
        await app.AddUserAsync("hoatoc.manager", Roles.CarrierManager, "HOATOC");
        var upload = await IndicatorTestData.IngestAsync(app, "HOATOC", Reports.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Equal("accepted", upload.Status);
        return app;
    }

    /// <summary>The glossary's entry of <paramref name="code"/>: the section with that anchor.</summary>
    private static string Entry(string glossary, string code)
    {
        var match = Regex.Match(glossary, $"<section class=\"term\" id=\"{Regex.Escape(code)}\"[^>]*>(?<body>.*?)</section>", RegexOptions.Singleline);
        Assert.True(match.Success, $"the glossary has no entry with id=\"{code}\"");
        return match.Groups["body"].Value;
    }

    private static string Field(string entry, string name)
    {
        var match = Regex.Match(entry, $"data-test=\"{name}\">(?<text>.*?)</(dd|p)>", RegexOptions.Singleline);
        Assert.True(match.Success, $"no {name} in {entry}");
        return Text(match.Groups["text"].Value);
    }

    [Theory]
    [InlineData("vi-VN")]
    [InlineData("en-US")]
    public async Task EveryFigureNamedInTheOverviewTilesHasADefinitionAndALinkToItsEntryOnTheGlossaryPage(string culture)
    {
        await using var app = await AppWithFiguresAsync();
        using var analyst = await app.SignedInClientAsync("analyst");
        var t = Translations.In(culture);

        var page = await analyst.GetStringAsync($"/dashboard?season=2024&culture={culture}");
        var glossary = await analyst.GetStringAsync($"/glossary?culture={culture}");

        var start = page.IndexOf("data-test=\"tiles\"", StringComparison.Ordinal);
        var tiles = page[start..page.IndexOf("data-test=\"glossary\"", start, StringComparison.Ordinal)];
        Assert.Contains("data-carrier=\"HOATOC\"", tiles, StringComparison.Ordinal);
        var terms = Term().Matches(tiles).ToList();
        Assert.True(terms.Count > MetricCatalogue.Tiles.Count, $"{terms.Count} figure names in the tile");
        var linked = new List<string>();
        foreach (var term in terms)
        {
            // The name is the term's text without its info link.
            var name = Text(Regex.Replace(term.Groups["body"].Value, "<a .*?</a>", "", RegexOptions.Singleline));
            var title = WebUtility.HtmlDecode(Title().Match(term.Groups["attributes"].Value).Groups["title"].Value);
            var link = InfoLink().Match(term.Groups["body"].Value);
            Assert.False(string.IsNullOrWhiteSpace(title), $"'{name}' has no definition as its title");
            Assert.True(link.Success, $"'{name}' has no link to the glossary");
            var code = link.Groups["code"].Value;
            Assert.Contains(name, WebUtility.HtmlDecode(link.Groups["label"].Value), StringComparison.Ordinal);
            // The entry the link opens exists, and says what the tooltip says.
            var entry = Entry(glossary, code);
            if (MetricCatalogue.Find(code) is { } metric)
            {
                Assert.Equal(metric.Definition(t, MetricReading.Day), title);
                Assert.Equal(metric.Definition(t), Field(entry, "definition"));
                Assert.StartsWith(metric.Name(t, MetricReading.Day), name, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(title, Field(entry, "definition"));
            }
            linked.Add(code);
        }
        Assert.Equal(MetricCatalogue.Tiles.Select(m => m.Code), linked.Where(c => MetricCatalogue.Find(c) is not null));
        // The tile's days to clear is the day's figure over three days, and says so.
        Assert.Contains(terms, term => Text(term.Groups["body"].Value).StartsWith(MetricCatalogue.DaysToClear.Name(t, MetricReading.Day) + " ", StringComparison.Ordinal));
        Assert.NotEqual(MetricCatalogue.DaysToClear.Name(t), MetricCatalogue.DaysToClear.Name(t, MetricReading.Day));
    }

    [Theory]
    [InlineData("vi-VN")]
    [InlineData("en-US")]
    public async Task TheGlossaryPageListsEveryMetricWithItsCodeDefinitionFormulaAndWindow(string culture)
    {
        await using var app = await TestApp.StartAsync();
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var analyst = await app.SignedInClientAsync("analyst");
        var t = Translations.In(culture);

        var glossary = await analyst.GetStringAsync($"/glossary?culture={culture}");

        Assert.All(MetricCatalogue.All, metric =>
        {
            var entry = Entry(glossary, metric.Code);
            Assert.Contains($"<code>{metric.Code}</code>", entry, StringComparison.Ordinal);
            Assert.Contains(metric.Name(t), WebUtility.HtmlDecode(entry), StringComparison.Ordinal);
            var (definition, formula, window) = (Field(entry, "definition"), Field(entry, "formula"), Field(entry, "window"));
            foreach (var text in new[] { definition, formula, window })
            {
                Assert.False(string.IsNullOrWhiteSpace(text), metric.Code);
                Assert.DoesNotContain("Metric.", text, StringComparison.Ordinal);
                Assert.EndsWith(".", text, StringComparison.Ordinal);
            }
            Assert.Equal(metric.Formula(t), formula);
            Assert.Equal(metric.Window(t), window);
            Assert.Equal(3, new[] { definition, formula, window }.Distinct().Count());
            // A metric read differently on a day and over a period names each reading, with its own definition.
            if (metric.ReadsDifferentlyOverAPeriod)
            {
                var readings = Field(entry, "readings");
                Assert.All(Enum.GetValues<MetricReading>(), reading =>
                {
                    Assert.Contains(metric.Name(t, reading), readings, StringComparison.Ordinal);
                    Assert.Contains(metric.Definition(t, reading), readings, StringComparison.Ordinal);
                });
            }
        });
        foreach (var code in new[] { "units_expected", "units_reporting", "units_carried", "closing_reported", "headline_day" })
        {
            var definition = Field(Entry(glossary, code), "definition");
            Assert.EndsWith(".", definition, StringComparison.Ordinal);
            Assert.DoesNotContain("{0}", definition, StringComparison.Ordinal);
        }
        // The settings' defaults stand in the definitions that depend on them: 3 days carried, 95% of the pairs.
        Assert.Contains(" 3 ", Field(Entry(glossary, "units_carried"), "definition"), StringComparison.Ordinal);
        Assert.Contains(0.95.ToString("P0", CultureInfo.GetCultureInfo(culture)), Field(Entry(glossary, "headline_day"), "definition"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EverySignedInPersonReachesTheGlossaryFromTheMenuAndNobodyElse()
    {
        await using var app = await AppWithFiguresAsync();
        using var anonymous = app.Client();
        using var manager = await app.SignedInClientAsync("hoatoc.manager");

        var refused = await anonymous.GetAsync("/glossary");
        var home = await manager.GetStringAsync("/");
        var page = await manager.GetAsync("/glossary");

        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/account/sign-in", refused.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/glossary\">Thuật ngữ</a>", home, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Theory]
    [InlineData("vi-VN")]
    [InlineData("en-US")]
    public async Task TablesNameAThreeDayFigureByTheReadingOfTheirRows(string culture)
    {
        await using var app = await AppWithFiguresAsync();
        using var analyst = await app.SignedInClientAsync("analyst");
        var t = Translations.In(culture);
        string Name(Metric metric, MetricReading reading) => metric.Name(t, reading);

        var indicators = await analyst.GetStringAsync($"/indicators?season=2024&culture={culture}");
        var series = await analyst.GetStringAsync($"/series?season=2024&carrier=HOATOC&culture={culture}");
        var summary = await analyst.GetStringAsync($"/summary?season=2024&culture={culture}");

        string Table(string page, string test)
        {
            var start = page.IndexOf($"data-test=\"{test}\"", StringComparison.Ordinal);
            Assert.True(start > 0, $"no table {test}");
            return WebUtility.HtmlDecode(page[start..page.IndexOf("</thead>", start, StringComparison.Ordinal)]);
        }
        foreach (var metric in new[] { MetricCatalogue.DaysToClear, MetricCatalogue.ThroughputRatio })
        {
            // Phase rows on /indicators and /summary's province table; season rows on /summary's carriers and the units of /series.
            Assert.Contains(Name(metric, MetricReading.Phase), Table(indicators, "indicators"), StringComparison.Ordinal);
            Assert.Contains(Name(metric, MetricReading.Phase), Table(summary, "summary-phases"), StringComparison.Ordinal);
            Assert.Contains(Name(metric, MetricReading.Day), Table(series, "daily"), StringComparison.Ordinal);
            Assert.Contains(Name(metric, MetricReading.Season), Table(series, "units"), StringComparison.Ordinal);
            Assert.DoesNotContain(Name(metric, MetricReading.Day), Table(series, "units"), StringComparison.Ordinal);
            Assert.Contains($"href=\"/glossary#{metric.Code}\"", Table(series, "units"), StringComparison.Ordinal);
        }
        Assert.Contains(Name(MetricCatalogue.ThroughputRatio, MetricReading.Season), Table(summary, "summary-carriers"), StringComparison.Ordinal);
        Assert.Equal(3, Enum.GetValues<MetricReading>().Select(r => MetricCatalogue.DaysToClear.Name(t, r)).Distinct().Count());
    }
}
