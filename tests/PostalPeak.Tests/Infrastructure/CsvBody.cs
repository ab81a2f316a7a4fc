using System.Net.Http.Headers;
using System.Text;

namespace PostalPeak.Tests.Infrastructure;

/// <summary>A request body as a carrier's system posts a daily report: UTF-8 text with the CSV media type.</summary>
public static class CsvBody
{
    public static StringContent Of(string text)
    {
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return content;
    }
}
