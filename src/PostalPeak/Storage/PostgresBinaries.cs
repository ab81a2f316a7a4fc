using System.Text.RegularExpressions;

namespace PostalPeak.Storage;

/// <summary>A folder with the PostgreSQL server binaries (initdb, pg_ctl, postgres) and their major version.</summary>
public sealed partial record PostgresBinaries(string Directory, int MajorVersion)
{
    public const int MinimumMajorVersion = 15;

    public string InitDb => Path.Combine(Directory, "initdb");
    public string PgCtl => Path.Combine(Directory, "pg_ctl");
    public string Postgres => Path.Combine(Directory, "postgres");

    public static string MissingMessage(string? detail = null) =>
        $"""
        PostalPeak needs a PostgreSQL server, version {MinimumMajorVersion} or newer, and found none{(detail is null ? "" : $" ({detail})")}.
        Either
          - install the PostgreSQL server binaries (Debian/Ubuntu: sudo apt-get install postgresql), or
          - name the folder that holds initdb, pg_ctl and postgres: Storage__Embedded__BinDirectory=/usr/lib/postgresql/15/bin, or
          - point PostalPeak at an existing server: ConnectionStrings__PostalPeak="Host=...;Port=5432;Database=postalpeak;Username=...;Password=..."
        """;

    /// <summary>Finds the newest suitable binaries; <paramref name="requiredMajor"/> pins the version an existing cluster was made with.</summary>
    public static async Task<PostgresBinaries> FindAsync(EmbeddedPostgresOptions options, int? requiredMajor, CancellationToken cancellationToken)
    {
        var found = new List<PostgresBinaries>();
        foreach (var directory in await CandidateDirectoriesAsync(options, cancellationToken))
        {
            var binaries = await ProbeAsync(directory, cancellationToken);
            if (binaries is not null && found.All(b => b.Directory != binaries.Directory))
                found.Add(binaries);
        }

        var usable = found.Where(b => b.MajorVersion >= MinimumMajorVersion).ToList();
        if (requiredMajor is { } major)
        {
            var exact = usable.Where(b => b.MajorVersion == major).ToList();
            if (exact.Count == 0)
                throw new EmbeddedPostgresException(
                    $"The database folder was created by PostgreSQL {major}, but only "
                    + (usable.Count == 0 ? "no usable version" : string.Join(", ", usable.Select(b => $"{b.MajorVersion} ({b.Directory})")))
                    + $" is installed. Install PostgreSQL {major} (Debian/Ubuntu: sudo apt-get install postgresql-{major}), "
                    + "or upgrade the folder with pg_upgrade.");
            usable = exact;
        }

        if (usable.Count == 0)
        {
            var detail = options.BinDirectory is not null
                ? $"Storage:Embedded:BinDirectory is '{options.BinDirectory}'"
                : found.Count > 0
                    ? "only older versions: " + string.Join(", ", found.Select(b => $"{b.MajorVersion} in {b.Directory}"))
                    : null;
            throw new EmbeddedPostgresException(MissingMessage(detail));
        }
        return usable.OrderByDescending(b => b.MajorVersion).First();
    }

    private static async Task<List<string>> CandidateDirectoriesAsync(EmbeddedPostgresOptions options, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(options.BinDirectory))
            return [options.BinDirectory];
        var candidates = new List<string>();
        if (!options.SearchSystem)
            return candidates;

        foreach (var entry in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var initdb = Path.Combine(entry, "initdb");
            if (!File.Exists(initdb))
                continue;
            // Debian links initdb into /usr/bin or /usr/local/bin; the real folder holds the other binaries.
            var target = new FileInfo(initdb).ResolveLinkTarget(returnFinalTarget: true);
            candidates.Add(Path.GetDirectoryName(target?.FullName ?? initdb)!);
        }

        try
        {
            var pgConfig = await ProcessRunner.RunAsync("pg_config", ["--bindir"], cancellationToken: cancellationToken);
            if (pgConfig.ExitCode == 0 && pgConfig.Output.Trim() is { Length: > 0 } bindir)
                candidates.Add(bindir);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // pg_config is not installed: the other places may still have the binaries.
        }

        foreach (var root in new[] { "/usr/lib/postgresql", "/usr/local/pgsql" })
        {
            if (!System.IO.Directory.Exists(root))
                continue;
            candidates.Add(Path.Combine(root, "bin"));
            candidates.AddRange(System.IO.Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin")));
        }
        candidates.AddRange(System.IO.Directory.Exists("/usr")
            ? System.IO.Directory.GetDirectories("/usr", "pgsql-*").Select(d => Path.Combine(d, "bin"))
            : []);
        return candidates;
    }

    private static async Task<PostgresBinaries?> ProbeAsync(string directory, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(directory);
        if (!File.Exists(Path.Combine(full, "initdb")) || !File.Exists(Path.Combine(full, "pg_ctl")) || !File.Exists(Path.Combine(full, "postgres")))
            return null;
        try
        {
            var version = await ProcessRunner.RunAsync(Path.Combine(full, "postgres"), ["--version"], cancellationToken: cancellationToken);
            var match = VersionPattern().Match(version.Output);
            return version.ExitCode == 0 && match.Success
                ? new PostgresBinaries(full, int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
                : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    [GeneratedRegex(@"\(PostgreSQL\)\s+(\d+)")]
    private static partial Regex VersionPattern();
}

/// <summary>The private database could not be prepared; the message tells the user what to do.</summary>
public sealed class EmbeddedPostgresException(string message, Exception? inner = null) : Exception(message, inner);
