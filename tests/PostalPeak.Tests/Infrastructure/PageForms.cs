using System.Text.RegularExpressions;

namespace PostalPeak.Tests.Infrastructure;

/// <summary>Posting a page's form as a browser would: with the anti-forgery token the page itself rendered.</summary>
public static partial class PageForms
{
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string page, IDictionary<string, string> fields, string? action = null)
    {
        var token = await TestApp.AntiforgeryTokenAsync(client, page);
        var body = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token };
        return await client.PostAsync(action ?? page, new FormUrlEncodedContent(body));
    }

    /// <summary>The text of the element marked data-test="name", e.g. a generated password.</summary>
    public static string Marked(string html, string name) =>
        MarkedElement().Matches(html).FirstOrDefault(m => m.Groups[1].Value == name) is { } match
            ? System.Net.WebUtility.HtmlDecode(match.Groups[2].Value).Trim()
            : throw new InvalidOperationException($"No data-test=\"{name}\" in the page.");

    [GeneratedRegex("data-test=\"([^\"]+)\"[^>]*>([^<]*)<")]
    private static partial Regex MarkedElement();
}
