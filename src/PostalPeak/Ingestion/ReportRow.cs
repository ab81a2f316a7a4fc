namespace PostalPeak.Ingestion;

/// <summary>One valid line of a daily report, as it goes into the staging table.</summary>
public sealed record ReportRow(
    int Line, string UnitCode, DateOnly ReportDate, long Received, long Delivered, long? Returned, long? Lost, long? Damaged,
    long? Backlog, long? ComplaintsReceived, long? ComplaintsResolved, long? StaffOnDuty, string? Note);
