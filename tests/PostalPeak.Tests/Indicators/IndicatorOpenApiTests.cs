using System.Text.Json;
using PostalPeak.Indicators;
using PostalPeak.Shell;

namespace PostalPeak.Tests.Indicators;

public sealed class IndicatorOpenApiTests
{
    [Fact]
    public async Task TheOpenApiIndicatorRowDefinesEveryMetricFieldInTheCataloguesEnglishWords()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Client();
        var english = Translations.In("en");

        var document = await client.GetFromJsonAsync<JsonElement>("/api/v1/openapi.json");

        var row = document.GetProperty("components").GetProperty("schemas").GetProperty(nameof(IndicatorRow)).GetProperty("properties");
        Assert.All(MetricCatalogue.Indicators, metric =>
            Assert.Equal(metric.Definition(english), row.GetProperty(metric.Code).GetProperty("description").GetString()));
        // The indicators endpoint answers with those rows.
        var answer = document.GetProperty("paths").GetProperty("/api/v1/indicators").GetProperty("get").GetProperty("responses").GetProperty("200");
        Assert.Contains(nameof(IndicatorRow), answer.GetRawText(), StringComparison.Ordinal);
    }
}
