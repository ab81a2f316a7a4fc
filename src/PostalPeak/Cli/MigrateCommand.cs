using System.CommandLine;
using Dapper;

namespace PostalPeak.Cli;

internal static class MigrateCommand
{
    public static Command Create()
    {
        var json = Commands.JsonOption();
        var command = new Command("migrate", "Bring the database schema and reference data up to date, then exit.") { json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            // Opening the context migrates: the same path as serve's start-up.
            await using var context = await CommandContext.OpenAsync(parse.InvocationConfiguration.Output, cancellationToken);
            await using var connection = await context.DataSource.OpenConnectionAsync(cancellationToken);
            var applied = (await connection.QueryAsync<(string Version, string Description)>(
                "select version, description from schema_migration where type = 0 order by id")).AsList();
            var units = await connection.QueryAsync<(string Level, long Count)>("select level, count(*) from admin_unit group by level order by level");
            if (parse.GetValue(json))
            {
                await context.WriteJsonAsync(new
                {
                    database = context.Database.Redacted(),
                    migrations = applied.Select(m => new { m.Version, m.Description }),
                    units = units.ToDictionary(u => u.Level, u => u.Count),
                });
            }
            else
            {
                await context.Output.WriteLineAsync($"Database {context.Database.Redacted()} is up to date:");
                foreach (var (version, description) in applied)
                    await context.Output.WriteLineAsync($"  {version}  {description}");
                await context.Output.WriteLineAsync("Administrative units: " + string.Join(", ", units.Select(u => $"{u.Count} {u.Level}s")));
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
