using System.Security.Claims;
using PostalPeak.Accounts;

namespace PostalPeak.Compliance;

public static class ComplianceEndpoints
{
    public sealed record ComplianceAnswer(int Season, IReadOnlyList<ComplianceSummary> Carriers, IReadOnlyList<ComplianceDay> Days);

    public static WebApplicationBuilder AddCompliance(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ComplianceOptions>().BindConfiguration(ComplianceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ComplianceReport>();
        return builder;
    }

    public static WebApplication MapCompliance(this WebApplication app)
    {
        // Carrier managers and tokens see their own carrier only, whatever they ask for.
        app.MapGet("/api/v1/compliance", async (int? season, string? carrier, string? unit, DateOnly? from, DateOnly? to, ClaimsPrincipal user, ComplianceReport report) =>
        {
            if (carrier is not null && !user.MayActFor(carrier))
                return Results.Problem(statusCode: 403, title: $"Your account may not see carrier '{carrier}'.", extensions: new Dictionary<string, object?> { ["code"] = "carrier_forbidden" });
            var year = season ?? Calendar.Seasons.ComingYear(DateTime.UtcNow);
            var days = await report.DaysAsync(year, user.IsDepartment() ? carrier : user.CarrierCode(), unit, from, to);
            return Results.Ok(new ComplianceAnswer(year, ComplianceReport.Summarise(days), days));
        }).WithTags("Compliance");
        return app;
    }
}
