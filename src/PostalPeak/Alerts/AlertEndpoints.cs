using Hangfire;
using PostalPeak.Accounts;
using PostalPeak.Audit;

namespace PostalPeak.Alerts;

public static class AlertEndpoints
{
    public sealed record AcknowledgeBody(string? Note);
    public sealed record SilenceBody(string? RuleCode, string? CarrierCode, string? UnitCode, DateTime EndsAt, string Reason);

    public static IHostApplicationBuilder AddAlerts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AlertsOptions>().BindConfiguration(AlertsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<AlertRules>();
        builder.Services.AddSingleton<AlertStore>();
        builder.Services.AddSingleton<AlertNotifier>();
        builder.Services.AddSingleton<AlertEvaluator>();
        builder.Services.AddTransient<AlertReminderJob>();
        builder.Services.AddNotifications();
        return builder;
    }

    public static WebApplication MapAlerts(this WebApplication app)
    {
        app.MapNotifications();
        var rules = app.MapGroup("/api/v1/alert-rules").WithTags("Alerts");
        // Everyone may read the rules they are held to: the general ones, and a carrier its own.
        rules.MapGet("/", (CarrierScope scope, AlertRules store, CancellationToken cancellationToken) =>
            store.ListAsync(scope.Filter(), cancellationToken));
        rules.MapGet("/{id:int}", (int id, CarrierScope scope, AlertRules store, CancellationToken cancellationToken) =>
            store.GetAsync(id, scope.Filter(), cancellationToken));
        rules.MapPost("/", async (AlertRule body, AlertRules store, IBackgroundJobClient jobs, HttpContext http) =>
        {
            var rule = await store.SaveAsync(null, body, Actor.From(http));
            QueueEvaluation(jobs);
            return Results.Created($"/api/v1/alert-rules/{rule.Id}", rule);
        }).RequireAuthorization(Policies.Admin);
        rules.MapPut("/{id:int}", async (int id, AlertRule body, AlertRules store, IBackgroundJobClient jobs, HttpContext http) =>
        {
            var rule = await store.SaveAsync(id, body, Actor.From(http));
            QueueEvaluation(jobs);
            return rule;
        }).RequireAuthorization(Policies.Admin);

        var alerts = app.MapGroup("/api/v1/alerts").WithTags("Alerts").RequireCarrierAccess();
        // Carrier managers and tokens see their own carrier's alerts only; naming another is refused.
        alerts.MapGet("/", async (string? state, string? carrier, string? rule, string? unit, DateOnly? from, DateOnly? to, int? limit,
            CarrierScope scope, AlertStore store, CancellationToken cancellationToken) =>
        {
            return Results.Ok(await store.ListAsync(new AlertFilter(state, scope.Filter(carrier), rule, unit, from, to, limit ?? 200), cancellationToken));
        });
        // Another carrier's alert and a missing one answer alike: 404 not_found.
        alerts.MapGet("/{id:long}", (long id, CarrierScope scope, AlertStore store, CancellationToken cancellationToken) =>
            store.GetForAsync(id, scope, cancellationToken));
        alerts.MapPost("/{id:long}/acknowledge", (long id, AcknowledgeBody? body, AlertStore store, HttpContext http) =>
            store.AcknowledgeAsync(id, body?.Note, Actor.From(http))).RequireAuthorization(Policies.Department);

        var silences = app.MapGroup("/api/v1/silences").WithTags("Alerts").RequireAuthorization(Policies.Department);
        silences.MapGet("/", (bool? active, AlertStore store, CancellationToken cancellationToken) => store.SilencesAsync(active ?? true, cancellationToken));
        silences.MapPost("/", async (SilenceBody body, AlertStore store, TimeProvider clock, HttpContext http) =>
        {
            var silence = await store.SilenceAsync(body.RuleCode, body.CarrierCode, body.UnitCode, body.EndsAt, body.Reason, Actor.From(http), clock);
            return Results.Created($"/api/v1/silences/{silence.Id}", silence);
        });
        silences.MapDelete("/{id:int}", async (int id, AlertStore store, HttpContext http) =>
        {
            await store.CancelSilenceAsync(id, Actor.From(http));
            return Results.NoContent();
        });
        return app;
    }

    /// <summary>A changed rule changes what the data say: evaluate everything again (idempotent, so cheap to repeat).</summary>
    public static string QueueEvaluation(IBackgroundJobClient jobs) =>
        jobs.Enqueue<AlertEvaluator>(evaluator => evaluator.EvaluateAllAsync(CancellationToken.None));
}
