using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.Extensions.Localization;
using PostalPeak.Shell;

namespace PostalPeak.Indicators;

/// <summary>
/// A figure's name as a page prints it, with its definition at hand: the name, then a small circled-i link to the
/// metric's entry on the glossary page (<c>/glossary#{code}</c>), whose tooltip is the definition and whose
/// accessible name says what it opens. The heading or term around it carries the definition as its title too.
/// </summary>
public static class MetricLabels
{
    /// <summary>Where a metric (or a coverage term) is explained.</summary>
    public static string GlossaryLink(string code) => $"/glossary#{code}";

    public static IHtmlContent Label(this Metric metric, IStringLocalizer<Text> t, MetricReading reading = MetricReading.Day)
    {
        var name = metric.Name(t, reading);
        var content = new HtmlContentBuilder();
        content.Append(name);
        content.AppendHtml(" ");
        content.AppendHtml(InfoLink(t, metric.Code, name, metric.Definition(t, reading)));
        return content;
    }

    /// <summary>The info link alone: for a picker, whose options cannot hold a link, it stands beside the list.</summary>
    public static IHtmlContent InfoLink(IStringLocalizer<Text> t, string code, string name, string definition)
    {
        var link = new TagBuilder("a");
        link.AddCssClass("info");
        link.AddCssClass("noprint");
        link.MergeAttribute("href", GlossaryLink(code));
        link.MergeAttribute("title", definition);
        link.MergeAttribute("aria-label", t["Glossary.InfoLabel", name]);
        link.MergeAttribute("data-test", "info");
        // A letter drawn as a circled "i" by the style sheet: the ⓘ character is missing from common fonts.
        link.InnerHtml.Append("i");
        return link;
    }
}
