using System.Globalization;
using Hangfire;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using PostalPeak.Accounts;
using PostalPeak.Audit;
using PostalPeak.Indicators;
using PostalPeak.Shell;

namespace PostalPeak.Alerts;

/// <summary>The rules everyone is held to; administrators edit or add them here.</summary>
public sealed class AlertRulesPageModel(AlertRules rules, IBackgroundJobClient jobs, IStringLocalizer<Text> text) : PageModel
{
    public sealed class RuleForm
    {
        public int? Id { get; set; }
        public string Code { get; set; } = "";
        public string NameVi { get; set; } = "";
        public string NameEn { get; set; } = "";
        public string Metric { get; set; } = MetricCatalogue.DaysToClear.Code;
        public string Comparison { get; set; } = ">";
        /// <summary>Text, parsed invariantly: a number input always posts "0.75", which vi-VN binding would read as 75.</summary>
        public string? Threshold { get; set; }
        public string? CarrierCode { get; set; }
        public string? UnitCodes { get; set; }
        public int ForDays { get; set; } = 1;
        public int KeepFiringForDays { get; set; }
        public long? MinBase { get; set; }
        public string Severity { get; set; } = "warning";
        // False by default: an unticked box posts nothing.
        public bool Email { get; set; }
        public bool Webhook { get; set; }
        public bool Enabled { get; set; }
        public string? Phases { get; set; }
        public string? Reason { get; set; }
    }

    [BindProperty] public RuleForm Form { get; set; } = new();
    [BindProperty(SupportsGet = true)] public int? Edit { get; set; }

    public IReadOnlyList<AlertRule> All { get; private set; } = [];
    public string? Saved { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        All = await rules.ListAsync(CarrierScope.Of(User).Filter(), cancellationToken);
        Form = NewRule();
        if (Edit is { } id && All.FirstOrDefault(r => r.Id == id) is { } rule)
            Form = new RuleForm
            {
                Id = rule.Id, Code = rule.Code, NameVi = rule.NameVi, NameEn = rule.NameEn, Metric = rule.Metric, Comparison = rule.Comparison,
                Threshold = rule.Threshold.ToString(CultureInfo.InvariantCulture), CarrierCode = rule.CarrierCode, UnitCodes = rule.UnitCodes is null ? null : string.Join(", ", rule.UnitCodes),
                ForDays = rule.ForDays, KeepFiringForDays = rule.KeepFiringForDays, MinBase = rule.MinBase, Severity = rule.Severity, Email = rule.Channels.Contains("email"),
                Webhook = rule.Channels.Contains("webhook"), Enabled = rule.Enabled, Phases = FormatPhases(rule.Phases), Reason = rule.Reason,
            };
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!User.IsInRole(Roles.Admin))
            return Forbid();
        try
        {
            var rule = await rules.SaveAsync(Form.Id, new AlertRule
            {
                Code = Form.Code, NameVi = Form.NameVi, NameEn = Form.NameEn, Metric = Form.Metric, Comparison = Form.Comparison, Threshold = ParseNumber(Form.Threshold),
                CarrierCode = Form.CarrierCode, UnitCodes = Form.UnitCodes?.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries),
                ForDays = Form.ForDays, KeepFiringForDays = Form.KeepFiringForDays, MinBase = Form.MinBase, Severity = Form.Severity,
                Channels = AlertRules.ChannelNames.Where(c => c == "email" ? Form.Email : Form.Webhook).ToArray(),
                Enabled = Form.Enabled, Phases = ParsePhases(Form.Phases), Reason = Form.Reason ?? "",
            }, Actor.From(HttpContext));
            AlertEndpoints.QueueEvaluation(jobs);
            Saved = AlertText.RuleName(rule.NameVi, rule.NameEn);
            Edit = null;
        }
        catch (InputException e)
        {
            Error = text.Explain(e);
            Response.StatusCode = e.Status;
            All = await rules.ListAsync(CarrierScope.Of(User).Filter(), cancellationToken);
            return Page();
        }
        await OnGetAsync(cancellationToken);
        return Page();
    }

    private static RuleForm NewRule() => new() { Email = true, Webhook = true, Enabled = true };

    private static double ParseNumber(string? text) =>
        double.TryParse((text ?? "").Trim().Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InputException("invalid_threshold", $"The threshold '{text}' is not a number.");

    /// <summary>"holiday=muted; recovery=5": one override per phase.</summary>
    public static IReadOnlyList<PhaseOverride> ParsePhases(string? text) =>
        (text ?? "").Split([';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(part =>
        {
            var pieces = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pieces.Length != 2)
                throw new InputException("invalid_phase_override", $"Write a phase override as phase=muted or phase=threshold, not '{part}'.");
            if (pieces[1].Equals("muted", StringComparison.OrdinalIgnoreCase))
                return new PhaseOverride(pieces[0], true, null);
            return double.TryParse(pieces[1].Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold)
                ? new PhaseOverride(pieces[0], false, threshold)
                : throw new InputException("invalid_phase_override", $"'{pieces[1]}' is neither 'muted' nor a number.");
        }).ToList();

    public static string FormatPhases(IReadOnlyList<PhaseOverride> phases) =>
        string.Join("; ", phases.Select(p => p.Muted ? $"{p.Phase}=muted" : $"{p.Phase}={p.Threshold?.ToString(CultureInfo.InvariantCulture)}"));
}
