using Microsoft.AspNetCore.Http.HttpResults;
using PostalPeak.Accounts;
using PostalPeak.Audit;

namespace PostalPeak.Carriers;

public static class CarrierEndpoints
{
    public sealed record NewCarrier(string Code, string Name, string[]? ContactEmails, string? ContactPhone);
    /// <summary>Contact e-mails left out (null) stay as they are; only department staff may change them.</summary>
    public sealed record Contacts(string[]? ContactEmails, string? ContactPhone);
    /// <summary>The whole declared list at once; an empty one means the list is derived from the reports.</summary>
    public sealed record ServiceUnitList(string?[]? Units);

    public static IHostApplicationBuilder AddCarriers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Carriers>();
        builder.Services.AddSingleton<ServiceUnits>();
        return builder;
    }

    public static WebApplication MapCarriers(this WebApplication app)
    {
        var carriers = app.MapGroup("/api/v1/carriers").WithTags("Carriers");

        // Department staff see every carrier; a carrier manager or token sees its own only.
        carriers.MapGet("/", (CarrierScope scope, Carriers store) => store.ListAsync(scope.Filter()));

        carriers.MapPost("/", async Task<Created<Carrier>> (NewCarrier body, Carriers store, HttpContext http) =>
        {
            var carrier = await store.AddAsync(body.Code, body.Name, body.ContactEmails ?? [], body.ContactPhone, Actor.From(http));
            return TypedResults.Created($"/api/v1/carriers/{carrier.Code}", carrier);
        }).RequireAuthorization(Policies.Admin);

        var one = carriers.MapGroup("/{carrierCode}").RequireCarrierAccess();
        one.MapGet("/", (string carrierCode, Carriers store) => store.GetAsync(carrierCode));
        one.MapPut("/contacts", (string carrierCode, Contacts body, Carriers store, HttpContext http) =>
            store.UpdateContactsAsync(carrierCode, body.ContactEmails, body.ContactPhone, http.User.IsDepartment(), Actor.From(http)))
            .RequireAuthorization(policy => policy.RequireRole(Roles.Admin, Roles.CarrierManager));

        // The units a carrier reports for: its manager and tokens read them; the department (admins and analysts, who
        // follow coverage and missing reports) declares them, since a carrier declaring its own list could excuse its
        // own missing reports.
        one.MapGet("/service-units", (string carrierCode, ServiceUnits store) => store.GetAsync(carrierCode))
            .WithDescription("The carrier's service units: source (declared or derived), the declared list, and units, the list in effect with names.");
        one.MapPut("/service-units", (string carrierCode, ServiceUnitList body, ServiceUnits store, HttpContext http) =>
            store.ReplaceAsync(carrierCode, body.Units, Actor.From(http)))
            .RequireAuthorization(Policies.Department)
            .WithDescription("Replaces the declared list with {\"units\": [unit codes]}; an empty list means the list is derived from the reports.");
        return app;
    }
}
