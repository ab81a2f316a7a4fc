using System.Globalization;
using PostalPeak.Accounts;
using PostalPeak.Shell;

namespace PostalPeak.Compliance;

public static class ComplianceEndpoints
{
    /// <summary>Rosters: each carrier's run-up and holiday days without a duty roster, past their deadline or coming due.</summary>
    public sealed record ComplianceAnswer(int Season, IReadOnlyList<ComplianceSummary> Carriers, IReadOnlyList<ComplianceDay> Days,
        IReadOnlyList<Duty.RosterCompliance> Rosters);

    public static IHostApplicationBuilder AddCompliance(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ComplianceOptions>().BindConfiguration(ComplianceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ComplianceReport>();
        return builder;
    }

    public static WebApplication MapCompliance(this WebApplication app)
    {
        // Carrier managers and tokens see their own carrier only; naming another is refused.
        // With format=csv one of the answer's two tables: the days (default) or, with table=carriers, the summary.
        app.MapGet("/api/v1/compliance", async (int? season, string? carrier, string? unit, DateOnly? from, DateOnly? to, string? format, string? table,
            CarrierScope scope, ComplianceReport report, Duty.DutyRosters rosters, TimeProvider clock) =>
        {
            var csv = CsvResults.WantsCsv(format);
            var tableName = (table ?? "days").ToLowerInvariant();
            if (csv && tableName is not ("days" or "carriers"))
                throw new InputException("invalid_table", "table is days or carriers.");
            var year = season ?? Calendar.Seasons.ComingYear(DateTime.UtcNow);
            var days = await report.DaysAsync(year, scope.Filter(carrier), unit, from, to);
            var name = string.Create(CultureInfo.InvariantCulture, $"compliance-{year}");
            if (csv)
                return tableName == "carriers"
                    ? CsvResults.Write(ComplianceReport.Summarise(days), $"{name}-carriers.csv")
                    : CsvResults.Write(days, $"{name}.csv");
            var now = clock.GetUtcNow();
            var rosterDays = await rosters.CoverageAsync(year, scope.Filter(carrier), now);
            return Results.Ok(new ComplianceAnswer(year, ComplianceReport.Summarise(days), days, Duty.DutyRosters.Summarise(rosterDays, now)));
        }).WithTags("Compliance").RequireCarrierAccess();
        return app;
    }
}
