using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Shell;

namespace PostalPeak.Tests.Shell;

public sealed class CsvResultsTests
{
    private sealed record Line(string Name, long Growth, double? Ratio, DateOnly Day);

    [Fact]
    public async Task TextThatLooksLikeAFormulaIsNeutralisedWhileNegativeNumbersStayNumbers()
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();

        await CsvResults.Write([new Line("=HYPERLINK(\"http://x\")", -32, 0.25, new DateOnly(2026, 2, 17)), new Line("@SUM(A1)", 5, null, new DateOnly(2026, 2, 18))],
            "x.csv").ExecuteAsync(context);

        var text = Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()).TrimStart('\uFEFF');
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("name,growth,ratio,day", lines[0]);
        Assert.StartsWith("\"'=HYPERLINK", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(",-32,0.25,2026-02-17", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("\"'@SUM(A1)\",5,,2026-02-18", lines[2], StringComparison.Ordinal);
    }
}
