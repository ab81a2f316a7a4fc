using PostalPeak.Storage;

namespace PostalPeak.Demo;

/// <summary>
/// What the demo changes in the configuration, without overriding anything the operator set: its own private
/// database, no nightly backup, e-mail kept in the local mailbox, and alerts of the sample's season announced.
/// </summary>
public static class DemoSettings
{
    public static void Apply(ConfigurationManager configuration, bool reset)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Demo:Enabled"] = "true",
            ["Storage:Backup:Enabled"] = "false",
            ["Notifications:LocalMailbox"] = "true",
        };
        // A line per processed file would bury the progress lines; warnings and errors still show.
        foreach (var category in new[] { "PostalPeak.Ingestion", "PostalPeak.Indicators", "PostalPeak.Alerts" })
        {
            if (configuration[$"Logging:LogLevel:{category}"] is null)
                settings[$"Logging:LogLevel:{category}"] = "Warning";
        }
        if (configuration.GetSection("Notifications:DepartmentEmails").GetChildren().Any() is false)
            settings["Notifications:DepartmentEmails:0"] = DemoLoader.DepartmentEmail;
        // A replayed day every few seconds should show without anyone pressing reload.
        if (configuration["Dashboard:RefreshSeconds"] is null)
            settings["Dashboard:RefreshSeconds"] = "5";
        // The sample's days lie months back; without this every alert would be recorded but none announced.
        if (configuration["Alerts:NotifyWithinDays"] is null)
            settings["Alerts:NotifyWithinDays"] = "366";
        if (string.IsNullOrWhiteSpace(configuration.GetConnectionString(DatabaseServer.ConnectionStringName)))
        {
            var directory = DataDirectory(configuration);
            settings["Storage:Embedded:DataDirectory"] = directory;
            if (reset && Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
        else if (reset)
        {
            throw new Shell.InputException("reset_refused", "--reset deletes only the private demo database; with ConnectionStrings__PostalPeak set, empty that database yourself.");
        }
        configuration.AddInMemoryCollection(settings);
    }

    /// <summary>Beside the product's own private cluster, never inside it: the demo must not touch real data.</summary>
    public static string DataDirectory(IConfiguration configuration) =>
        configuration["Demo:DataDirectory"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.GetFullPath(configuration[$"{EmbeddedPostgresOptions.Section}:DataDirectory"]
                ?? EmbeddedPostgresOptions.DefaultDataDirectory(Environment.IsPrivilegedProcess)).TrimEnd(Path.DirectorySeparatorChar) + "-demo";
}
