using CsvHelper;

namespace PostalPeak.Calendar;

public static class CalendarEndpoints
{
    private static readonly string[] CsvHeader = ["year", "date", "year_name"];

    public sealed record SeasonEdit(string Name, int FromOffset, int ToOffset, IReadOnlyList<Phase> Phases);

    public sealed record TetDay(int Year, DateOnly Date, string YearName, string Weekday);

    public static IReadOnlyList<TetDay> TetDays(int from, int to)
    {
        if (from > to || from < LunarCalendar.FirstYear || to > LunarCalendar.LastYear)
            throw new Shell.InputException("invalid_year_range",
                $"Give years from {LunarCalendar.FirstYear} to {LunarCalendar.LastYear}, 'from' not after 'to'.")
            { Args = [LunarCalendar.FirstYear, LunarCalendar.LastYear] };
        return Enumerable.Range(from, to - from + 1).Select(year =>
        {
            var tet = LunarCalendar.Tet(year);
            return new TetDay(year, tet, VietnameseNames.YearName(year), tet.DayOfWeek.ToString());
        }).ToList();
    }

    public static IHostApplicationBuilder AddCalendar(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Seasons>();
        return builder;
    }

    public static WebApplication MapCalendar(this WebApplication app)
    {
        // Public knowledge: no sign-in needed.
        app.MapGet("/api/v1/calendar/tet", (int? from, int? to, string? format) =>
        {
            var today = DateTime.UtcNow.Year;
            var days = TetDays(from ?? today - 3, to ?? from ?? today + 1);
            if (!Shell.CsvResults.WantsCsv(format))
                return Results.Ok(days);
            return Results.Stream(async stream =>
            {
                await using var writer = CsvWriter.Create(stream, new CsvWriterOptions { WriteByteOrderMark = true }, leaveOpen: true);
                foreach (var header in CsvHeader)
                    writer.WriteField(header);
                await writer.EndRecordAsync();
                foreach (var day in days)
                {
                    writer.WriteField(day.Year.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    writer.WriteField(day.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
                    writer.WriteField(day.YearName);
                    await writer.EndRecordAsync();
                }
                await writer.FlushAsync();
            }, "text/csv; charset=utf-8", "tet.csv");
        }).AllowAnonymous().WithTags("Calendar");

        var seasons = app.MapGroup("/api/v1/seasons").WithTags("Seasons");
        seasons.MapGet("/", (Seasons store) => store.ListAsync());
        seasons.MapGet("/{year:int}", (int year, Seasons store) => store.GetAsync(year));
        seasons.MapGet("/{year:int}/days", async (int year, Seasons store) => (await store.GetAsync(year)).Days());
        seasons.MapPut("/{year:int}", async (int year, SeasonEdit body, Seasons store, Hangfire.IBackgroundJobClient jobs, HttpContext http) =>
        {
            var season = await store.UpdateAsync(year, body.Name, body.FromOffset, body.ToOffset, body.Phases, Audit.Actor.From(http));
            // Thresholds can differ by phase, so moved phases can change what fires.
            Alerts.AlertEndpoints.QueueEvaluation(jobs);
            return season;
        }).RequireAuthorization(Accounts.Policies.Admin);
        return app;
    }
}
