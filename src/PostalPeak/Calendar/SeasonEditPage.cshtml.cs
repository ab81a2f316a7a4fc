using Hangfire;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using PostalPeak.Accounts;
using PostalPeak.Alerts;
using PostalPeak.Audit;
using PostalPeak.Shell;

namespace PostalPeak.Calendar;

/// <summary>An administrator changes a season's name, window and phases; the rules are those of the API.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class SeasonEditPageModel(Seasons seasons, IBackgroundJobClient jobs, IStringLocalizer<Text> text) : PageModel
{
    /// <summary>Empty rows under the phases, to add one; a row without a code is left out, so clearing a code removes its phase.</summary>
    public const int SpareRows = 2;

    public sealed class PhaseRow
    {
        public string? Code { get; set; }
        public string? NameVi { get; set; }
        public string? NameEn { get; set; }
        public int? FromOffset { get; set; }
        public int? ToOffset { get; set; }
    }

    [BindProperty(SupportsGet = true)] public int? Season { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public int? FromOffset { get; set; }
    [BindProperty] public int? ToOffset { get; set; }
    [BindProperty] public List<PhaseRow> Phases { get; set; } = [];

    public Season Current { get; private set; } = null!;
    public IReadOnlyList<Season> All { get; private set; } = [];
    public bool Saved { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync()
    {
        await LoadAsync();
        Fill();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await LoadAsync();
        try
        {
            var phases = Phases.Where(p => !string.IsNullOrWhiteSpace(p.Code)).Select(p => new Phase(p.Code!.Trim(), p.NameVi?.Trim() ?? "",
                p.NameEn?.Trim() ?? "", p.FromOffset ?? throw MissingDays(p.Code), p.ToOffset ?? throw MissingDays(p.Code))).ToList();
            Current = await seasons.UpdateAsync(Current.Year, Name ?? "", FromOffset ?? 1, ToOffset ?? -1, phases, Actor.From(HttpContext));
            // Thresholds can differ by phase, so moved phases can change what fires.
            AlertEndpoints.QueueEvaluation(jobs);
            Saved = true;
            ModelState.Clear();
            Fill();
        }
        catch (InputException e)
        {
            Error = text.Explain(e);
            Response.StatusCode = e.Status;
        }
        return Page();
    }

    private static InputException MissingDays(string code) =>
        new("invalid_phase", $"Phase '{code}' needs its first and last day.") { Args = [code] };

    private async Task LoadAsync()
    {
        All = await seasons.ListAsync();
        Current = Seasons.Shown(All, Season, Seasons.ComingYear(DateTime.UtcNow));
        Season = Current.Year;
    }

    private void Fill()
    {
        (Name, FromOffset, ToOffset) = (Current.Name, Current.FromOffset, Current.ToOffset);
        Phases = [.. Current.Phases.Select(p => new PhaseRow { Code = p.Code, NameVi = p.NameVi, NameEn = p.NameEn, FromOffset = p.FromOffset, ToOffset = p.ToOffset }),
            .. Enumerable.Range(0, SpareRows).Select(_ => new PhaseRow())];
    }
}
