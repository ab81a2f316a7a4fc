using CsvHelper;

namespace PostalPeak.Calendar;

public static class CalendarEndpoints
{
    private static readonly string[] CsvHeader = ["year", "date", "year_name"];

    public sealed record TetDay(int Year, DateOnly Date, string YearName, string Weekday);

    public static IReadOnlyList<TetDay> TetDays(int from, int to)
    {
        if (from > to || from < LunarCalendar.FirstYear + 1 || to > LunarCalendar.LastYear)
            throw new Shell.InputException("invalid_year_range",
                $"Give years from {LunarCalendar.FirstYear + 1} to {LunarCalendar.LastYear}, 'from' not after 'to'.");
        return Enumerable.Range(from, to - from + 1).Select(year =>
        {
            var tet = LunarCalendar.Tet(year);
            return new TetDay(year, tet, VietnameseNames.YearName(year), tet.DayOfWeek.ToString());
        }).ToList();
    }

    public static WebApplication MapCalendar(this WebApplication app)
    {
        // Public knowledge: no sign-in needed.
        app.MapGet("/api/v1/calendar/tet", (int? from, int? to, string? format) =>
        {
            var today = DateTime.UtcNow.Year;
            var days = TetDays(from ?? today - 3, to ?? from ?? today + 1);
            if (!string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase))
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
        return app;
    }
}
