using PostalPeak.Accounts;
using PostalPeak.Alerts;
using PostalPeak.Calendar;
using PostalPeak.Carriers;
using PostalPeak.Compliance;
using PostalPeak.Dashboard;
using PostalPeak.Duty;
using PostalPeak.Incidents;
using PostalPeak.Indicators;
using PostalPeak.Ingestion;
using PostalPeak.Cli;
using PostalPeak.Jobs;
using PostalPeak.Shell;
using PostalPeak.Storage;
using PostalPeak.Units;

// PostgreSQL is run through runuser, /proc and Unix file modes: Linux (and other Unix) only.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]

return await Commands.RunAsync(args, Console.Out, Console.Error);

public partial class Program
{
    /// <summary>The web application: one Add and one Map per feature. `serve` runs it; tests build it the same way.</summary>
    public static WebApplication BuildWebApp(WebApplicationBuilder builder, DatabaseServer database)
    {
        AddFeatures(builder, database);
        var app = builder.Build();
        app.UseShell();
        app.MapShell();
        app.MapAccounts();
        app.MapCarriers();
        app.MapUnits();
        app.MapIngestion();
        app.MapCalendar();
        app.MapCompliance();
        app.MapIndicators();
        app.MapAlerts();
        app.MapDashboard();
        app.MapIncidents();
        app.MapJobs();
        app.MapDuty();
        return app;
    }

    /// <summary>Every feature's services and settings: `serve` and every command that works on the database register these same ones.</summary>
    public static void AddFeatures(IHostApplicationBuilder builder, DatabaseServer database)
    {
        builder.AddStorage(database);
        builder.AddShell();
        builder.AddAccounts();
        builder.AddCarriers();
        builder.AddIngestion();
        builder.AddCalendar();
        builder.AddCompliance();
        builder.AddIndicators();
        builder.AddAlerts();
        builder.AddDashboard();
        builder.AddIncidents();
        builder.AddJobs();
        builder.AddDuty();
    }
}
