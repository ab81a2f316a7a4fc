using System.Runtime.CompilerServices;

namespace PostalPeak.Tests.Infrastructure;

internal static class ThreadPoolWarmUp
{
    /// <summary>
    /// Dozens of applications run side by side in this one process, each with Hangfire workers that block on
    /// async jobs; on two cores the thread pool grows too slowly for that and jobs wait for threads.
    /// </summary>
    [ModuleInitializer]
    internal static void Initialize() => ThreadPool.SetMinThreads(128, 128);
}
