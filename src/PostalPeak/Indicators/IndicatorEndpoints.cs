using Hangfire;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using PostalPeak.Accounts;
using PostalPeak.Audit;
using PostalPeak.Calendar;
using PostalPeak.Shell;

namespace PostalPeak.Indicators;

public static class IndicatorEndpoints
{
    public sealed record RecomputeQueued(string JobId);

    public static WebApplicationBuilder AddIndicators(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IndicatorRefresh>();
        builder.Services.AddSingleton<IndicatorQuery>();
        return builder;
    }

    public static WebApplication MapIndicators(this WebApplication app)
    {
        var group = app.MapGroup("/api/v1/indicators").WithTags("Indicators").RequireCarrierAccess();

        // Carrier managers and tokens see their own carrier only; naming another is refused.
        group.MapGet("/", async ([FromQuery] int[]? season, string? carrier, string? unit, DateOnly? from, DateOnly? to,
            string? groupBy, string? by, string? format, CarrierScope scope, IndicatorQuery query, NpgsqlDataSource db, TimeProvider clock,
            CancellationToken cancellationToken) =>
        {
            // A bare request means the season the pages open on, not every row ever reported (which grows by a
            // season a year); a date range without a season is the way to read across seasons.
            if (season is not { Length: > 0 } && from is null && to is null)
                season = [await Seasons.DefaultYearAsync(db, clock.GetUtcNow().UtcDateTime, cancellationToken)];
            var filter = new IndicatorFilter(season, scope.Filter(carrier), unit, from, to,
                (groupBy ?? "day").ToLowerInvariant(), (by ?? "carrier").ToLowerInvariant());
            var rows = await query.RollUpAsync(filter, cancellationToken);
            return CsvResults.WantsCsv(format)
                ? CsvResults.Write(rows, "indicators.csv")
                : Results.Ok(rows);
        });

        // Changes whenever a figure the caller may see does: an open overview asks it now and then and reloads when
        // it moved. Department staff see every carrier's figures; a carrier manager or token only its own carrier's.
        group.MapGet("/version", async (CarrierScope scope, NpgsqlDataSource db, CancellationToken cancellationToken) =>
            Results.Ok(new { version = await IndicatorRefresh.DataVersionAsync(db, scope.Filter(), cancellationToken) }));

        // Only people are administrators: Shell checks their browsers' anti-forgery header for every API change.
        group.MapPost("/recompute", async (HttpContext http, NpgsqlDataSource db, IBackgroundJobClient jobs) =>
            Results.Accepted(null, await QueueRecomputeAsync(db, jobs, Actor.From(http)))).RequireAuthorization(Policies.Admin).DisableAntiforgery();
        return app;
    }

    /// <summary>Queues a full rebuild; the request is audited, the work happens in the job.</summary>
    public static async Task<RecomputeQueued> QueueRecomputeAsync(NpgsqlDataSource db, IBackgroundJobClient jobs, Actor actor)
    {
        var jobId = jobs.Enqueue<IndicatorRefresh>(refresh => refresh.RecomputeAllAsync(CancellationToken.None));
        jobs.ContinueJobWith<Alerts.AlertEvaluator>(jobId, evaluator => evaluator.EvaluateAllAsync(CancellationToken.None));
        await using var connection = await db.OpenConnectionAsync();
        await AuditLog.WriteAsync(connection, null, actor, "indicators.recompute", "indicators", jobId);
        return new RecomputeQueued(jobId);
    }
}
