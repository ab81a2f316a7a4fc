using Npgsql;

namespace PostalPeak.Storage;

/// <summary>
/// Whether a failure means the database cannot be reached for now (stopped, restarting, unreachable, out of
/// connections), as opposed to a fault in what was asked of it. The former passes by itself: answer 503 and
/// retry; the latter does not.
/// </summary>
public static class DatabaseFaults
{
    public static bool IsUnavailable(Exception e) => e switch
    {
        NpgsqlException { IsTransient: true } => true,
        TimeoutException or System.Net.Sockets.SocketException => true,
        _ => e.InnerException is { } inner && IsUnavailable(inner),
    };
}
