using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using PostalPeak.Accounts;
using PostalPeak.Audit;
using PostalPeak.Calendar;
using PostalPeak.Shell;

namespace PostalPeak.Duty;

/// <summary>A season's duty rosters as days × carriers, its CSV, and for a carrier manager the form to send the roster file.</summary>
[Authorize(Policy = Policies.Person)]
public sealed class RosterPageModel(DutyRosters rosters, Seasons seasons, IStringLocalizer<Text> text, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public int? Season { get; set; }

    public Season Window { get; private set; } = null!;
    public IReadOnlyList<Season> Seasons { get; private set; } = [];
    public IReadOnlyList<(string Code, string Name)> Carriers { get; private set; } = [];
    public ILookup<(DateOnly, string), RosterEntry> Cells { get; private set; } = Array.Empty<RosterEntry>().ToLookup(e => (e.Date, e.CarrierCode));
    /// <summary>The run-up and holiday days of each carrier with their status (covered, missing, due, later); other days need no roster.</summary>
    public IReadOnlyDictionary<(DateOnly, string), RosterDay> Required { get; private set; } = new Dictionary<(DateOnly, string), RosterDay>();
    /// <summary>A carrier manager sends the roster of the carrier it is bound to; department staff use the API with ?carrier=.</summary>
    public bool MaySubmit => User.IsInRole(Roles.CarrierManager) && CarrierScope.Of(User).Own is not null;
    /// <summary>The roster typed on a page: a carrier manager for its own carrier, department staff for any.</summary>
    public bool MayEdit => MaySubmit || CarrierScope.Of(User).EveryCarrier;
    public RosterSubmission? Result { get; private set; }
    public IReadOnlyList<DutyEndpoints.RosterIssue> Problems { get; private set; } = [];
    public string? Error { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync(IFormFile? file)
    {
        if (!MaySubmit)
            return Forbid();
        try
        {
            if (file is null || file.Length == 0)
                throw new InputException("file_required", "Choose the roster file.") { Key = "Duty.ChooseFile" };
            if (file.Length > rosters.MaxBytes)
                throw rosters.TooLarge(file.Length);
            await using var stream = file.OpenReadStream();
            var content = await rosters.ReadBodyAsync(stream, HttpContext.RequestAborted);
            Result = await rosters.SubmitAsync(content, file.FileName, "web", CarrierScope.Of(User).Own!, Actor.From(HttpContext), HttpContext.RequestAborted);
            Problems = DutyEndpoints.Issues(text, Result);
            if (Result.Status != "accepted")
                Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        catch (InputException e)
        {
            Error = text.Explain(e);
            Response.StatusCode = e.Status;
        }
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        var scope = CarrierScope.Of(User).Filter();
        Seasons = await seasons.ListAsync();
        Window = Calendar.Seasons.Shown(Seasons, Season, Calendar.Seasons.ComingYear(DateTime.UtcNow));
        Season = Window.Year;
        var entries = await rosters.ListAsync(scope, Window.From, Window.To, HttpContext.RequestAborted);
        Carriers = (await rosters.OnDutyAsync(scope, DateTimeOffset.UtcNow, HttpContext.RequestAborted)).Select(c => (c.CarrierCode, c.CarrierName)).ToList();
        Cells = entries.ToLookup(e => (e.Date, e.CarrierCode));
        Required = (await rosters.CoverageAsync(Window.Year, scope, clock.GetUtcNow(), HttpContext.RequestAborted)).ToDictionary(d => (d.Date, d.CarrierCode));
    }
}
