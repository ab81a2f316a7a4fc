using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace PostalPeak.Storage;

/// <summary>
/// A private PostgreSQL cluster in a folder of PostalPeak's own: created on first start, started on
/// 127.0.0.1 with a generated password, stopped when its owner stops. A server left running by a crashed
/// owner is adopted instead of started twice; a server whose owner is still alive (a command run beside
/// `serve`) is shared and left running.
/// </summary>
/// <remarks>
/// Layout of <see cref="Root"/>: <c>server/data</c> (PGDATA) and <c>server/server.log</c>, owned by the
/// server user; <c>superuser.password</c>, readable by PostalPeak's user only; <c>owner.pid</c>, the process
/// that started the running server; <c>start.lock</c>, serialising starts of concurrent processes.
/// </remarks>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    private readonly EmbeddedPostgresOptions _options;
    private readonly ILogger _logger;
    private readonly string? _serverUser;
    private bool _owner;
    private bool _stopped;

    private EmbeddedPostgres(EmbeddedPostgresOptions options, string root, string? serverUser, ILogger logger)
    {
        _options = options;
        Root = root;
        _serverUser = serverUser;
        _logger = logger;
    }

    public string Root { get; }
    public int Port { get; private set; }
    public string ConnectionString { get; private set; } = "";
    public PostgresBinaries Binaries { get; private set; } = null!;
    /// <summary>True when this process started (or adopted) the server and will stop it.</summary>
    public bool OwnsServer => _owner;

    private string ServerDirectory => Path.Combine(Root, "server");
    private string DataDirectory => Path.Combine(ServerDirectory, "data");
    private string LogFile => Path.Combine(ServerDirectory, "server.log");
    private string PasswordFile => Path.Combine(Root, "superuser.password");
    private string OwnerFile => Path.Combine(Root, "owner.pid");

    public static async Task<EmbeddedPostgres> StartAsync(EmbeddedPostgresOptions options, ILogger logger, CancellationToken cancellationToken = default)
    {
        var privileged = Environment.IsPrivilegedProcess;
        var root = Path.GetFullPath(options.DataDirectory ?? EmbeddedPostgresOptions.DefaultDataDirectory(privileged));
        var serverUser = privileged ? options.ServerUser : null;
        var cluster = new EmbeddedPostgres(options, root, serverUser, logger);
        await cluster.StartCoreAsync(cancellationToken);
        return cluster;
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        PrepareRoot();
        // Two PostalPeak processes starting together must not both run initdb or pg_ctl start.
        await using var startLock = await AcquireStartLockAsync(cancellationToken);

        var existingMajor = ReadClusterMajorVersion();
        Binaries = await PostgresBinaries.FindAsync(_options, existingMajor, cancellationToken);
        if (existingMajor is null)
            await InitializeClusterAsync(cancellationToken);

        var password = (await File.ReadAllTextAsync(PasswordFile, cancellationToken)).Trim();
        if (RunningServerPort() is { } runningPort)
        {
            Port = runningPort;
            var ownerAlive = ReadOwnerPid() is { } ownerPid && ownerPid != Environment.ProcessId && IsProcessAlive(ownerPid);
            _owner = !ownerAlive;
            _logger.LogInformation("Reusing the PostgreSQL server already running on 127.0.0.1:{Port} ({Mode})", Port,
                ownerAlive ? "shared with a running PostalPeak process" : "left by a process that has stopped; adopted");
        }
        else
        {
            Port = FreeLoopbackPort();
            await StartServerAsync(cancellationToken);
            _owner = true;
        }
        if (_owner)
            await File.WriteAllTextAsync(OwnerFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture), cancellationToken);

        var admin = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = Port, Username = "postgres", Password = password, Database = "postgres",
            Pooling = false, Timeout = 15,
        };
        await WaitUntilAcceptingAsync(admin.ConnectionString, cancellationToken);
        await EnsureDatabaseAsync(admin.ConnectionString, _options.Database, cancellationToken);
        ConnectionString = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = _options.Database, Pooling = true }.ConnectionString;
    }

    private void PrepareRoot()
    {
        if (_serverUser is not null && Root.StartsWith("/root", StringComparison.Ordinal))
            throw new EmbeddedPostgresException(
                $"PostalPeak runs as root, so its PostgreSQL server runs as '{_serverUser}', which cannot enter {Root}. "
                + "Choose another folder with Storage__Embedded__DataDirectory (default for root: /var/lib/postalpeak).");
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(ServerDirectory);
        if (_serverUser is not null)
        {
            File.SetUnixFileMode(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
    }

    private async Task<FileStream> AcquireStartLockAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                return new FileStream(Path.Combine(Root, "start.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
    }

    private int? ReadClusterMajorVersion()
    {
        var versionFile = Path.Combine(DataDirectory, "PG_VERSION");
        return File.Exists(versionFile) && int.TryParse(File.ReadAllText(versionFile).Trim(), CultureInfo.InvariantCulture, out var major)
            ? major : null;
    }

    private async Task InitializeClusterAsync(CancellationToken cancellationToken)
    {
        _logger.LogInformation("Creating a private PostgreSQL {Major} cluster in {Directory}", Binaries.MajorVersion, DataDirectory);
        if (Directory.Exists(DataDirectory))
            Directory.Delete(DataDirectory, recursive: true); // an initdb that died half-way; PG_VERSION is written last
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        await File.WriteAllTextAsync(PasswordFile, password, cancellationToken);
        File.SetUnixFileMode(PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // initdb reads the password from a file the server user can read; it is deleted right after.
        var initPasswordFile = Path.Combine(ServerDirectory, ".initdb-password");
        await File.WriteAllTextAsync(initPasswordFile, password, cancellationToken);
        try
        {
            await HandOverToServerUserAsync(cancellationToken);
            var arguments = new List<string>
            {
                "-D", DataDirectory, "-U", "postgres", "-A", "scram-sha-256", "--pwfile", initPasswordFile,
                "-E", "UTF8", "--locale=C.UTF-8",
            };
            if (_options.Throwaway)
                arguments.Add("--no-sync");
            var result = await ProcessRunner.RunAsync(Binaries.InitDb, arguments, ServerDirectory, _serverUser, cancellationToken);
            if (result.ExitCode != 0)
                throw new EmbeddedPostgresException($"initdb failed in {DataDirectory}:{Environment.NewLine}{result.Combined}");
        }
        finally
        {
            File.Delete(initPasswordFile);
        }

        // Loopback TCP only: no Unix socket to collide with a system cluster, nothing reachable from outside.
        var settings = """

            # Written by PostalPeak for its private cluster.
            listen_addresses = '127.0.0.1'
            unix_socket_directories = ''
            max_connections = 200
            shared_buffers = 256MB
            timezone = 'Asia/Ho_Chi_Minh'
            log_timezone = 'Asia/Ho_Chi_Minh'
            """;
        if (_options.Throwaway)
            settings += "\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                // Test runs start many applications at once, each with its own pool and job workers.
                + "max_connections = 500\n";
        await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"), settings + "\n", cancellationToken);
    }

    private async Task HandOverToServerUserAsync(CancellationToken cancellationToken)
    {
        if (_serverUser is null)
            return;
        var chown = await ProcessRunner.RunAsync("chown", ["-R", $"{_serverUser}:", ServerDirectory], cancellationToken: cancellationToken);
        if (chown.ExitCode != 0)
            throw new EmbeddedPostgresException(
                $"PostalPeak runs as root and needs the unprivileged user '{_serverUser}' to run PostgreSQL, but could not hand {ServerDirectory} to it: "
                + $"{chown.Combined}. Create the user (Debian's postgresql package does), or set Storage__Embedded__ServerUser.");
    }

    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        await HandOverToServerUserAsync(cancellationToken);
        _logger.LogInformation("Starting PostgreSQL {Major} on 127.0.0.1:{Port}", Binaries.MajorVersion, Port);
        var result = await ProcessRunner.RunAsync(Binaries.PgCtl,
            ["-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "-o", $"-p {Port}", "start"],
            ServerDirectory, _serverUser, cancellationToken);
        if (result.ExitCode != 0)
            throw new EmbeddedPostgresException(
                $"PostgreSQL did not start from {DataDirectory}:{Environment.NewLine}{result.Combined}{Environment.NewLine}"
                + $"Last lines of {LogFile}:{Environment.NewLine}{TailOfLog()}");
    }

    /// <summary>The port of a live server on this data folder, read from postmaster.pid; null when none runs.</summary>
    private int? RunningServerPort()
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        string[] lines;
        try
        {
            lines = File.ReadAllLines(pidFile);
        }
        catch (IOException)
        {
            return null;
        }
        if (lines.Length < 4
            || !int.TryParse(lines[0], CultureInfo.InvariantCulture, out var pid)
            || !int.TryParse(lines[3], CultureInfo.InvariantCulture, out var port))
            return null;
        // A stale pid file (server killed with the machine) names a dead process, or one that is not postgres.
        return IsProcessAlive(pid) && ProcessName(pid) is "postgres" or "postmaster" ? port : null;
    }

    private static string? ProcessName(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private int? ReadOwnerPid() =>
        File.Exists(OwnerFile) && int.TryParse(File.ReadAllText(OwnerFile).Trim(), CultureInfo.InvariantCulture, out var pid) ? pid : null;

    private static bool IsProcessAlive(int pid) => Directory.Exists($"/proc/{pid}");

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitUntilAcceptingAsync(string connectionString, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, cancellationToken);
            }
        }
    }

    private static async Task EnsureDatabaseAsync(string adminConnectionString, string database, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", connection);
        exists.Parameters.Add(new NpgsqlParameter { Value = database });
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
            return;
        try
        {
            await using var create = new NpgsqlCommand($"create database {QuoteIdentifier(database)}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Created by a concurrent process between the check and the create.
        }
    }

    internal static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private string TailOfLog()
    {
        try
        {
            return string.Join(Environment.NewLine, File.ReadLines(LogFile).TakeLast(20));
        }
        catch (IOException)
        {
            return "(no log)";
        }
        catch (UnauthorizedAccessException)
        {
            return "(log not readable)";
        }
    }

    /// <summary>Stops the server if this process owns it. Safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopped)
            return;
        _stopped = true;
        if (!_owner)
            return;
        if (ReadOwnerPid() is { } ownerPid && ownerPid != Environment.ProcessId)
            return; // another process adopted the server meanwhile
        _logger.LogInformation("Stopping the private PostgreSQL server on port {Port}", Port);
        var result = await ProcessRunner.RunAsync(Binaries.PgCtl, ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"],
            ServerDirectory, _serverUser);
        if (result.ExitCode != 0)
            _logger.LogWarning("pg_ctl stop failed: {Output}", result.Combined);
        File.Delete(OwnerFile);
        if (_options.Throwaway)
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException e)
            {
                _logger.LogWarning("Could not delete the throwaway cluster {Root}: {Message}", Root, e.Message);
            }
        }
    }
}
