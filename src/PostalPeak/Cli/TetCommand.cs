using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PostalPeak.Calendar;

namespace PostalPeak.Cli;

internal static class TetCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var from = new Option<int>("--from") { Description = "First year.", DefaultValueFactory = _ => DateTime.UtcNow.Year };
        var to = new Option<int?>("--to") { Description = "Last year (default: the first)." };
        var json = Commands.JsonOption();
        var command = new Command("tet", "Print the date of Tết (Vietnamese lunar new year, UTC+7) for a range of years.") { from, to, json };
        command.SetAction(async parse =>
        {
            var days = CalendarEndpoints.TetDays(parse.GetValue(from), parse.GetValue(to) ?? parse.GetValue(from));
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
                await output.WriteLineAsync(JsonSerializer.Serialize(days.Select(d => new { year = d.Year, date = d.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), year_name = d.YearName }),
                    Json));
            else
                foreach (var day in days)
                    await output.WriteLineAsync($"{day.Year}  {day.Date:dd/MM/yyyy}  {day.YearName}");
            return ExitCodes.Success;
        });
        return command;
    }
}
