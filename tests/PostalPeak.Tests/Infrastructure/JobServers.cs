namespace PostalPeak.Tests.Infrastructure;

/// <summary>
/// Tests that run a Hangfire server run one at a time. Hangfire keeps process-wide state (log provider,
/// serializer settings, filters); with several servers starting and stopping in one process, a fetched
/// job was seen to stall for a minute before its Processing state. Production runs one server a process.
/// </summary>
[CollectionDefinition(Name)]
public sealed class JobServers
{
    public const string Name = "Hangfire servers";
}
