using System.ComponentModel.DataAnnotations;

namespace PostalPeak.Indicators;

public sealed class IndicatorsOptions
{
    public const string Section = "Indicators";

    /// <summary>
    /// How many days a unit's last known stock (closing, backlog, open complaints) stands in for a report not in yet
    /// when a day is rolled up. After that the unit is missing from the roll-up, never zero.
    /// </summary>
    [Range(0, 14)]
    public int CarryDays { get; set; } = 3;
}
