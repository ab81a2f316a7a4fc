using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PostalPeak.Calendar;

/// <summary>A season's days as a calendar: weeks from Monday, each day with its lunar label, Tết offset and phase.</summary>
public sealed class CalendarPageModel(Seasons seasons) : PageModel
{
    [BindProperty(SupportsGet = true)] public int? Season { get; set; }

    public Season Current { get; private set; } = null!;
    public IReadOnlyList<Season> All { get; private set; } = [];
    public IReadOnlyList<SeasonDay?> Cells { get; private set; } = [];

    public async Task OnGetAsync()
    {
        All = await seasons.ListAsync();
        Current = Seasons.Shown(All, Season, Seasons.ComingYear(DateTime.UtcNow));
        Season = Current.Year;
        var days = Current.Days().ToList();
        // Blank cells before the first day so that every row starts on a Monday.
        var lead = ((int)days[0].Date.DayOfWeek + 6) % 7;
        Cells = [.. Enumerable.Repeat<SeasonDay?>(null, lead), .. days];
    }

    public string PhaseName(string? code) => Current.Phases.FirstOrDefault(p => p.Code == code)?.Name ?? "";
}
