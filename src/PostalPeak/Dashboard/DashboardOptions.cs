using System.ComponentModel.DataAnnotations;

namespace PostalPeak.Dashboard;

public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>
    /// The share of the expected carrier × unit reports a day needs before it is the headline: reports arrive through
    /// the morning, and a day read from the first few would show a backlog that cleared overnight.
    /// </summary>
    [Range(0.0, 1.0)]
    public double CompleteShare { get; set; } = 0.95;
}
