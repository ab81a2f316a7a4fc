using Hangfire.Logging;

namespace PostalPeak.Jobs;

/// <summary>
/// Hangfire's log provider is process-wide and points at the ILoggerFactory of the last application that
/// configured Hangfire. Once that application is disposed (the tests build and dispose many in one
/// process), every Hangfire log call threw ObjectDisposedException, and a worker that had fetched a job
/// retried its state change in a loop for a minute. Such a call is dropped instead.
/// </summary>
internal sealed class DisposalSafeLogProvider(ILogProvider inner) : ILogProvider
{
    public ILog GetLogger(string name)
    {
        try
        {
            return new SafeLog(inner.GetLogger(name));
        }
        catch (ObjectDisposedException)
        {
            return new SafeLog(null);
        }
    }

    private sealed class SafeLog(ILog? inner) : ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            if (inner is null)
                return false;
            try
            {
                return inner.Log(logLevel, messageFunc!, exception!);
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }
}
