using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PostalPeak.Accounts;
using PostalPeak.Alerts;
using PostalPeak.Audit;
using PostalPeak.Indicators;
using PostalPeak.Ingestion;
using PostalPeak.Tests.Indicators;

namespace PostalPeak.Tests.Browser;

/// <summary>
/// Every page, as an administrator and as a carrier manager, in Vietnamese and in English, on the sample seasons:
/// what a person reads (the text, titles, alternative texts, placeholders and list options) names metrics, rules,
/// severities, alert states and report columns, and never shows their codes.
/// </summary>
[Collection(SampleSeasonsDatabase.Collection)]
public sealed partial class NoRawCodesInBrowserTests(SampleSeasonsDatabase sample, Infrastructure.Browser browser) : IDisposable
{
    public void Dispose() => browser.AssertNoPolicyViolations();

    /// <summary>
    /// Everything a person reads on the page, in two kinds: whole texts (each element's own text, hidden ones too,
    /// such as a closed glossary, and every title, alt, aria-label and placeholder), where a code with an
    /// underscore is looked for anywhere; and the same texts cut at line breaks and "·", where a one-word code
    /// ("closing", "critical", "firing") is looked for as the whole text, so that an English word in a sentence is
    /// not mistaken for it. Text inside code, pre, kbd and samp is shown as code on purpose (the CSV header an
    /// upload expects, an audit entry's record) and is not read.
    /// </summary>
    private const string ReadTheScript = """
        () => {
            const texts = [];
            const pieces = [];
            const read = text => {
                if (!text || !text.trim()) return;
                texts.push(text);
                for (const part of text.split(/[·\n]/)) if (part.trim()) pieces.push(part.trim());
            };
            for (const el of document.body.querySelectorAll('*')) {
                for (const name of ['title', 'alt', 'aria-label', 'placeholder']) read(el.getAttribute(name));
                if (el.closest('script, style, template, code, pre, kbd, samp')) continue;
                let own = '';
                for (const node of el.childNodes) if (node.nodeType === Node.TEXT_NODE) own += node.textContent;
                read(own);
            }
            return { texts, pieces };
        }
        """;

    /// <summary>What the script returns (Playwright fills it through a parameterless constructor).</summary>
    private sealed class PageText
    {
        public string[] Texts { get; set; } = [];
        public string[] Pieces { get; set; } = [];
    }

    [Fact]
    public async Task NoPageShowsAMetricRuleSeverityStateOrColumnCodeToAPersonInEitherLanguage()
    {
        // This test's own people, and a silence (cancelled at once, so it holds nothing back) for the silences table.
        await sample.App.AddUserAsync("codes.admin", Roles.Admin);
        await sample.App.AddUserAsync("codes.manager", Roles.CarrierManager, "HOATOC");
        var store = sample.App.Services.GetRequiredService<AlertStore>();
        var silence = await store.SilenceAsync("backlog_days_to_clear", "HOATOC", null, DateTime.UtcNow.AddDays(1), "codes test", Actor.CommandLine(), TimeProvider.System);
        await store.CancelSilenceAsync(silence.Id, Actor.CommandLine());

        await using var connection = await sample.App.Db.OpenConnectionAsync();
        var ruleCodes = (await connection.QueryAsync<string>("select code from alert_rule")).ToList();
        var hoatocAlert = await connection.QuerySingleAsync<long>("""
            select a.id from alert a join carrier c on c.id = a.carrier_id join alert_rule r on r.id = a.rule_id
            where c.code = 'HOATOC' and r.metric = 'days_to_clear' order by a.id limit 1
            """);
        var missingAlert = await connection.QuerySingleAsync<long>("""
            select a.id from alert a join alert_rule r on r.id = a.rule_id where r.metric = 'missing_report' order by a.id limit 1
            """);
        var hoatocUpload = await connection.QuerySingleAsync<long>("""
            select u.id from upload u join carrier c on c.id = u.carrier_id where c.code = 'HOATOC' order by u.id desc limit 1
            """);
        var warnedUpload = await connection.QuerySingleAsync<long>("""
            select upload_id from upload_issue order by upload_id limit 1
            """);
        var firstRule = await connection.QuerySingleAsync<int>("select min(id) from alert_rule");
        // An incident of HOATOC's whose type and state are codes with and without an underscore.
        var incident = await sample.App.Services.GetRequiredService<PostalPeak.Incidents.IncidentStore>().ReportAsync("HOATOC",
            new PostalPeak.Incidents.IncidentInput("prohibited_goods", "critical", "2026-02-05T08:00:00+07:00", [], 3, "codes test", null, "0912 345 678"),
            [], Actor.CommandLine());

        // Every page the application maps, each with the addresses that show its figures; a new page must be added here.
        var pages = sample.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.RazorPages.PageActionDescriptor>() is not null)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        var addresses = new Dictionary<string, string[]>
        {
            ["/"] = ["/"],
            ["/account/denied"] = ["/account/denied"],
            ["/account/sign-in"] = ["/account/sign-in"],
            ["/account/sign-out"] = [], // signs the reader out
            ["/admin/audit"] = ["/admin/audit"],
            ["/admin/mailbox"] = ["/admin/mailbox"],
            ["/admin/notifications"] = ["/admin/notifications"],
            ["/admin/users"] = ["/admin/users"],
            ["/alerts"] = ["/alerts?state=all", "/alerts?state=firing"],
            ["/alerts/{id:long}"] = [$"/alerts/{hoatocAlert}", $"/alerts/{missingAlert}"],
            ["/alerts/rules"] = ["/alerts/rules", $"/alerts/rules?edit={firstRule}"],
            ["/alerts/silences"] = ["/alerts/silences"],
            ["/calendar"] = ["/calendar?season=2026"],
            ["/calendar/edit"] = ["/calendar/edit?season=2026"],
            ["/carriers"] = ["/carriers"],
            ["/carriers/{carrierCode}/contacts"] = ["/carriers/HOATOC/contacts"],
            ["/carriers/{carrierCode}/service-units"] = ["/carriers/HOATOC/service-units"],
            ["/carriers/{carrierCode}/tokens"] = ["/carriers/HOATOC/tokens"],
            ["/carriers/{carrierCode}/uploads"] = ["/carriers/HOATOC/uploads"],
            ["/compare"] = ["/compare?season=2025&season=2026", "/compare?season=2025&season=2026&carrier=HOATOC&metric=days_to_clear"],
            ["/dashboard"] = ["/dashboard?season=2026&day=2026-02-07"],
            ["/duty"] = ["/duty"],
            ["/duty/roster"] = ["/duty/roster?season=2026"],
            ["/duty/roster/edit"] = ["/duty/roster/edit?season=2026&carrier=HOATOC"],
            ["/error"] = ["/error"],
            ["/glossary"] = ["/glossary"],
            ["/heatmap"] = ["/heatmap?season=2026&carrier=HOATOC", "/heatmap?season=2026&carrier=HOATOC&metric=throughput_ratio"],
            ["/incidents"] = ["/incidents"],
            ["/incidents/{id:long}"] = [$"/incidents/{incident.Id}"],
            ["/indicators"] = ["/indicators?season=2026"],
            ["/series"] = ["/series?season=2026&carrier=HOATOC", "/series?season=2026&carrier=HOATOC&unit=15853"],
            ["/summary"] = ["/summary?season=2026"],
            ["/uploads"] = ["/uploads"],
            ["/uploads/{id:long}"] = [$"/uploads/{hoatocUpload}", $"/uploads/{warnedUpload}"],
        };
        Assert.Equal(pages, addresses.Keys.Order(StringComparer.Ordinal));

        // Codes with an underscore are looked for anywhere; one-word codes as a whole text.
        var columns = typeof(ReportColumns).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!);
        var codes = MetricCatalogue.All.Select(m => m.Code).Concat(ruleCodes).Concat(columns).Concat(PostalPeak.Calendar.Seasons.DefaultPhases.Select(p => p.Code))
            .Concat(AlertRules.Severities).Concat(["open", "firing", "pending", "resolved"])
            .Concat(PostalPeak.Incidents.IncidentVocabulary.Types).Concat(PostalPeak.Incidents.IncidentVocabulary.States).Distinct().ToList();
        // A report column's code may stand in brackets beside the name the file gave it ("Mã đơn vị (unit_code)"): the
        // upload report names the column both ways on purpose, so the carrier can match it to the template.
        var besideItsName = columns.ToHashSet(StringComparer.Ordinal);
        var anywhere = codes.Where(c => c.Contains('_', StringComparison.Ordinal))
            .Select(c => (Code: c, Pattern: besideItsName.Contains(c)
                ? new Regex($@"(?<![\w(]){Regex.Escape(c)}(?![\w)])|(?<!\w )\({Regex.Escape(c)}\)", RegexOptions.CultureInvariant)
                : new Regex($@"(?<![\w]){Regex.Escape(c)}(?![\w])", RegexOptions.CultureInvariant))).ToList();
        var whole = codes.Where(c => !c.Contains('_', StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);

        var findings = new List<string>();
        foreach (var user in new[] { "codes.admin", "codes.manager" })
        {
            foreach (var english in new[] { false, true })
            {
                var page = await browser.NewPageAsync(sample.App.BaseAddress);
                await Infrastructure.Browser.SignInAsync(page, user);
                foreach (var address in addresses.Values.SelectMany(a => a))
                {
                    var url = english ? address + (address.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "culture=en-US" : address;
                    var response = await page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
                    Assert.True(response is { Status: < 500 }, $"{user} {url}: {response?.Status}");
                    await page.Locator("body").WaitForAsync();
                    var text = await page.EvaluateAsync<PageText>(ReadTheScript);
                    var where = $"{user} {(english ? "en" : "vi")} {address}";
                    foreach (var (code, pattern) in anywhere)
                    {
                        if (text.Texts.FirstOrDefault(pattern.IsMatch) is { } found)
                            findings.Add($"{where}: '{code}' in \"{Excerpt(found, code)}\"");
                    }
                    foreach (var piece in text.Pieces.Where(whole.Contains).Distinct())
                        findings.Add($"{where}: '{piece}' as a whole text");
                }
                await page.Context.CloseAsync();
            }
        }

        Assert.True(findings.Count == 0, "Codes shown to people:\n" + string.Join("\n", findings.Distinct()));
    }

    private static string Excerpt(string text, string code)
    {
        var at = text.IndexOf(code, StringComparison.Ordinal);
        var from = Math.Max(0, at - 40);
        return Whitespace().Replace(text.Substring(from, Math.Min(text.Length - from, code.Length + 80)), " ");
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
