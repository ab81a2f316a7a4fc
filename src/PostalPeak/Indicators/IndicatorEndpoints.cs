using Hangfire;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Npgsql;
using PostalPeak.Accounts;
using PostalPeak.Audit;
using PostalPeak.Calendar;
using PostalPeak.Shell;

namespace PostalPeak.Indicators;

public static class IndicatorEndpoints
{
    public sealed record RecomputeQueued(string JobId);

    public static IHostApplicationBuilder AddIndicators(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IndicatorsOptions>().BindConfiguration(IndicatorsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IndicatorRefresh>();
        builder.Services.AddSingleton<IndicatorQuery>();
        builder.Services.Configure<OpenApiOptions>("v1", options => options.AddSchemaTransformer(DescribeIndicatorRow));
        return builder;
    }

    /// <summary>
    /// The indicator row's fields (the JSON properties and the CSV columns alike) carry the catalogue's English
    /// definition, so that the API document and the pages define each figure in the same words.
    /// </summary>
    public static Task DescribeIndicatorRow(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type != typeof(IndicatorRow) || schema.Properties is not { } properties)
            return Task.CompletedTask;
        var english = Translations.In(Translations.English);
        foreach (var (name, property) in properties)
        {
            if (MetricCatalogue.All.FirstOrDefault(m => m.Code == name) is { } metric && property is OpenApiSchema inline)
                inline.Description = metric.Definition(english);
        }
        return Task.CompletedTask;
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
                season = [await Seasons.DefaultYearAsync(db, clock.GetUtcNow().UtcDateTime, scope.Filter(), cancellationToken)];
            var filter = new IndicatorFilter(season, scope.Filter(carrier), unit, from, to,
                (groupBy ?? "day").ToLowerInvariant(), (by ?? "carrier").ToLowerInvariant());
            var rows = await query.RollUpAsync(filter, cancellationToken);
            return CsvResults.WantsCsv(format)
                ? CsvResults.Write(rows, "indicators.csv")
                : Results.Ok(rows);
        }).Produces<IReadOnlyList<IndicatorRow>>(StatusCodes.Status200OK)
            .WithDescription("The indicator rows in scope. With format=csv the same fields are the CSV columns, in the same order.");

        // Changes whenever a figure the caller may see does: an open overview asks it now and then and reloads when
        // it moved. Department staff see every carrier's figures; a carrier manager or token only its own carrier's.
        group.MapGet("/version", async (CarrierScope scope, NpgsqlDataSource db, CancellationToken cancellationToken) =>
            Results.Ok(new { version = await IndicatorRefresh.DataVersionAsync(db, scope.Filter(), cancellationToken) }));

        // Only people are administrators: Shell checks their browsers' anti-forgery header for every API change.
        group.MapPost("/recompute", async (HttpContext http, Ingestion.UploadPipeline pipeline) =>
            Results.Accepted(null, new RecomputeQueued(await pipeline.QueueRecomputeAllAsync(Actor.From(http)))))
            .RequireAuthorization(Policies.Admin).DisableAntiforgery();
        return app;
    }
}
