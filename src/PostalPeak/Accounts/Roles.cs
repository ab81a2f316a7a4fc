namespace PostalPeak.Accounts;

public static class Roles
{
    public const string Admin = "Admin";
    public const string Analyst = "Analyst";
    public const string CarrierManager = "CarrierManager";
    /// <summary>Not a person's role: the principal of a request made with a carrier's API token.</summary>
    public const string CarrierToken = "CarrierToken";

    public static readonly IReadOnlyList<string> People = [Admin, Analyst, CarrierManager];

    public static string? Normalize(string? role) =>
        People.FirstOrDefault(r => string.Equals(r, role, StringComparison.OrdinalIgnoreCase));
}

public static class Policies
{
    public const string Admin = "Admin";
    /// <summary>Department staff: Admin or Analyst.</summary>
    public const string Department = "Department";
    /// <summary>A person (cookie), not a machine token.</summary>
    public const string Person = "Person";
}
