namespace PostalPeak.Demo;

/// <summary>
/// One line of a generated report. Backlog is null on the days the carrier did not count its stock.
/// Incident names the scripted incident that shaped the line, if any.
/// </summary>
public sealed record SampleRow(
    DateOnly ReportDate, int TetOffset, string UnitCode, long Received, long Delivered, long Returned, long Lost, long Damaged, long? Backlog,
    long ComplaintsReceived, long ComplaintsResolved, long StaffOnDuty, string Note, string? Incident);
