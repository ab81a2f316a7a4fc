using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using PostalPeak.Accounts;
using PostalPeak.Audit;
using PostalPeak.Calendar;
using PostalPeak.Shell;

namespace PostalPeak.Duty;

/// <summary>
/// The roster typed day by day: a carrier manager for its own carrier, department staff for the carrier they choose.
/// Saved through the same check and store as a roster file, all or nothing; the page's script only fills fields.
/// </summary>
[Authorize(Policy = Policies.Person)]
// A whole season of days and shifts is more fields than a form's default limit of 1,024.
[RequestFormLimits(ValueCountLimit = 100_000)]
public sealed class RosterEditPageModel(DutyRosters rosters, Seasons seasons, Carriers.Carriers carriers, IStringLocalizer<Text> text) : PageModel
{
    /// <summary>One line of the table: a day and shift, as typed.</summary>
    public sealed class Row
    {
        public string? Date { get; set; }
        public string? Shift { get; set; }
        public string? LeaderName { get; set; }
        public string? LeaderPosition { get; set; }
        public string? LeaderPhone { get; set; }
        public string? OperatorName { get; set; }
        public string? OperatorPhone { get; set; }
        public string? Hotline { get; set; }
        public bool Hotline24h { get; set; }
        public string? UnitCode { get; set; }

        /// <summary>Nothing typed: a day left for later, not an entry.</summary>
        public bool IsBlank => new[] { LeaderName, LeaderPosition, LeaderPhone, OperatorName, OperatorPhone, Hotline, UnitCode }.All(string.IsNullOrWhiteSpace)
            && !Hotline24h;
    }

    /// <summary>The days a season is entered for by default: those a missing roster counts on.</summary>
    private static readonly string[] KeyPhases = ["run_up", "holiday"];

    [BindProperty(SupportsGet = true)] public int? Season { get; set; }
    [BindProperty(SupportsGet = true)] public string? Carrier { get; set; }
    /// <summary>Every day of the season's window rather than the run-up and the holiday.</summary>
    [BindProperty(SupportsGet = true)] public bool All { get; set; }
    [BindProperty] public List<Row> Rows { get; set; } = [];

    public Season Window { get; private set; } = null!;
    public IReadOnlyList<Season> Seasons { get; private set; } = [];
    public IReadOnlyList<Carriers.Carrier> CarrierChoices { get; private set; } = [];
    /// <summary>The carrier whose roster is shown; null while department staff have not chosen one.</summary>
    public Carriers.Carrier? Editing { get; private set; }
    public RosterSubmission? Result { get; private set; }
    /// <summary>A problem's message by row (from 0) and field; problems of no row under -1 and no field under "".</summary>
    public Dictionary<(int Row, string Field), List<string>> Errors { get; } = [];
    public string? Error { get; private set; }

    public IEnumerable<string> ErrorsOf(int row, string field) => Errors.GetValueOrDefault((row, field)) ?? [];

    public async Task<IActionResult> OnGetAsync()
    {
        await LoadAsync();
        if (Editing is not null)
            Rows = await StoredRowsAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await LoadAsync();
        if (Editing is null)
            return Page();
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [RosterFile.Date] = text["Duty.Edit.Date"], [RosterFile.Shift] = text["Duty.Edit.Shift"], [RosterFile.LeaderName] = text["Duty.Edit.LeaderName"],
            [RosterFile.LeaderPosition] = text["Duty.Edit.LeaderPosition"], [RosterFile.LeaderPhone] = text["Duty.Edit.LeaderPhone"],
            [RosterFile.OperatorName] = text["Duty.Edit.OperatorName"], [RosterFile.OperatorPhone] = text["Duty.Edit.OperatorPhone"],
            [RosterFile.Hotline] = text["Duty.Edit.Hotline"], [RosterFile.Hotline24h] = text["Duty.Edit.Hotline24h"], [RosterFile.UnitCode] = text["Duty.Edit.Unit"],
        };
        // Problems are reported under the row's place in the table (from 1), blank rows skipped but counted.
        var entries = Rows.Select((row, index) => (Line: index + 1, Row: row)).Where(r => !r.Row.IsBlank)
            .Select(r => (r.Line, (IReadOnlyDictionary<string, string?>)new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                [RosterFile.Date] = r.Row.Date, [RosterFile.Shift] = r.Row.Shift, [RosterFile.LeaderName] = r.Row.LeaderName,
                [RosterFile.LeaderPosition] = r.Row.LeaderPosition, [RosterFile.LeaderPhone] = r.Row.LeaderPhone, [RosterFile.OperatorName] = r.Row.OperatorName,
                [RosterFile.OperatorPhone] = r.Row.OperatorPhone, [RosterFile.Hotline] = r.Row.Hotline,
                [RosterFile.Hotline24h] = r.Row.Hotline24h ? "yes" : "no", [RosterFile.UnitCode] = r.Row.UnitCode,
            })).ToList();
        try
        {
            Result = await rosters.SaveAsync(entries, "web", Editing.Code, Actor.From(HttpContext), labels, HttpContext.RequestAborted);
        }
        catch (InputException e)
        {
            Error = text.Explain(e);
            Response.StatusCode = e.Status;
            return Page();
        }
        if (Result.Status != "accepted")
        {
            foreach (var issue in Result.Issues)
            {
                var key = (issue.Line is { } line ? line - 1 : -1, issue.Column ?? "");
                if (!Errors.TryGetValue(key, out var messages))
                    Errors[key] = messages = [];
                messages.Add(DutyRosters.Message(text, issue));
            }
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Rows = await StoredRowsAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        var scope = CarrierScope.Of(User);
        var code = scope.Filter(Carrier);
        Seasons = await seasons.ListAsync();
        Window = Calendar.Seasons.Shown(Seasons, Season, Calendar.Seasons.ComingYear(DateTime.UtcNow));
        Season = Window.Year;
        if (scope.EveryCarrier)
            CarrierChoices = (await carriers.ListAsync()).Where(c => c.Active).ToList();
        if (code is not null)
            Editing = await carriers.GetAsync(code);
    }

    /// <summary>The days shown: one row per stored shift, or a blank "cả ngày" row for a day with none.</summary>
    private async Task<List<Row>> StoredRowsAsync()
    {
        var days = Window.Days().Where(d => All || KeyPhases.Contains(d.Phase)).Select(d => d.Date).ToList();
        if (days.Count == 0)
            days = Window.Days().Select(d => d.Date).ToList();
        var stored = (await rosters.ListAsync(Editing!.Code, days[0], days[^1], HttpContext.RequestAborted)).ToLookup(e => e.Date);
        var rows = new List<Row>();
        foreach (var day in days)
        {
            var date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var entries = stored[day].ToList();
            if (entries.Count == 0)
                rows.Add(new Row { Date = date, Shift = DutyShift.AllDay.Text });
            rows.AddRange(entries.Select(e => new Row
            {
                Date = date, Shift = e.Shift, LeaderName = e.LeaderName, LeaderPosition = e.LeaderPosition, LeaderPhone = VietnamesePhone.DisplayOf(e.LeaderPhone),
                OperatorName = e.OperatorName, OperatorPhone = VietnamesePhone.DisplayOf(e.OperatorPhone), Hotline = VietnamesePhone.DisplayOf(e.Hotline),
                Hotline24h = e.Hotline24h == true, UnitCode = e.UnitCode,
            }));
        }
        return rows;
    }

    /// <summary>A row's day as the reader writes it (dd/MM/yyyy), or as typed when it is no date.</summary>
    public string DayOf(Row row) =>
        DateOnly.TryParseExact(row.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day.ToString(text["Mail.DateFormat"].Value, CultureInfo.InvariantCulture)
            : row.Date ?? "";
}
