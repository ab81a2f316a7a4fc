namespace PostalPeak.Storage;

/// <summary>
/// The private PostgreSQL cluster PostalPeak runs when no connection string is configured
/// (configuration section <c>Storage:Embedded</c>).
/// </summary>
public sealed class EmbeddedPostgresOptions
{
    public const string Section = "Storage:Embedded";

    /// <summary>Where the cluster lives. Default: $XDG_DATA_HOME/postalpeak (or ~/.local/share/postalpeak);
    /// /var/lib/postalpeak when started by root, because the server user cannot enter /root.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Folder holding initdb, pg_ctl and postgres. Default: searched on this machine.</summary>
    public string? BinDirectory { get; set; }

    /// <summary>Whether to search PATH, pg_config and the usual install folders for the binaries.</summary>
    public bool SearchSystem { get; set; } = true;

    /// <summary>Unprivileged account that runs the server when PostalPeak runs as root.</summary>
    public string ServerUser { get; set; } = "postgres";

    /// <summary>Name of the application database inside the cluster.</summary>
    public string Database { get; set; } = "postalpeak";

    /// <summary>For test runs: no durability settings, and the whole folder is deleted on stop.
    /// Never for a cluster that keeps user data.</summary>
    public bool Throwaway { get; set; }

    public static string DefaultDataDirectory(bool privileged)
    {
        if (privileged)
            return "/var/lib/postalpeak";
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrWhiteSpace(xdg))
            xdg = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(xdg, "postalpeak");
    }
}
