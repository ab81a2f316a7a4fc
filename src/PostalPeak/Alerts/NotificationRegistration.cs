using System.Globalization;
using Hangfire;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using PostalPeak.Accounts;
using PostalPeak.Audit;
using PostalPeak.Shell;

namespace PostalPeak.Alerts;

public static class NotificationRegistration
{
    /// <summary>Options (bound and validated on start), the senders, the webhook HttpClient and the jobs.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = WebhookSender.Timeout);
        services.AddSingleton<EmailSender>();
        services.AddSingleton<WebhookSender>();
        services.AddTransient<NotificationDelivery>();
        services.AddTransient<OutboxSweepJob>();
        services.AddTransient<DigestJob>();
        services.AddHostedService<NotificationStartupLog>();
        return services;
    }

    /// <summary>The admin API over the outbox: list, and retry a failed message.</summary>
    public static IEndpointRouteBuilder MapNotifications(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/notifications").WithTags("Notifications").RequireAuthorization(Policies.Admin);

        group.MapGet("/", async (string? status, int? limit, NpgsqlDataSource db, CancellationToken cancellationToken) =>
            Results.Ok(await Outbox.ListAsync(db, CheckStatus(status), Math.Clamp(limit ?? 200, 1, 1000), cancellationToken)));

        // Administrators are people: their browsers' anti-forgery header is checked for every API change in Shell.
        group.MapPost("/{id:long}/retry", async (long id, HttpContext http, NotificationDelivery delivery, NpgsqlDataSource db) =>
        {
            if (await delivery.RetryAsync(id, Actor.From(http)) == 0)
            {
                await using var command = db.CreateCommand("select status from notification where id = $1");
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
                throw await command.ExecuteScalarAsync() is string status
                    ? new InputException("notification_not_failed", $"Notification {id} is {status}; only a failed message can be retried.", StatusCodes.Status409Conflict)
                    : InputException.NotFound("notification", id.ToString(CultureInfo.InvariantCulture));
            }
            return Results.Ok(new { id, status = "pending" });
        }).DisableAntiforgery();

        // The digest of one report day, e.g. again after late reports or for a day the schedule missed. Recipients
        // who already have that day's digest get nothing new.
        group.MapPost("/digest", async (string? day, HttpContext http, IAntiforgery antiforgery, IBackgroundJobClient jobs, DigestJob digest,
            IOptions<NotificationOptions> options, NpgsqlDataSource db) =>
        {
            if (!DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var reportDay))
                throw new InputException("invalid_date", "day is required, as yyyy-MM-dd.");
            if (reportDay > digest.Yesterday().AddDays(1))
                throw new InputException("future_date", $"{day} has not happened yet.") { Args = [reportDay.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)] };
            if (!options.Value.EmailEnabled)
                throw new InputException("email_off", "E-mail is off (Notifications:Smtp:Host is empty): a digest would not be written.",
                    StatusCodes.Status409Conflict);
            var jobId = jobs.Enqueue<DigestJob>(job => job.RunForDayAsync(reportDay, CancellationToken.None));
            await using (var connection = await db.OpenConnectionAsync())
                await AuditLog.WriteAsync(connection, null, Actor.From(http), "notification.digest", "digest", day, null, new { day, job_id = jobId });
            return Results.Accepted(value: new { day, job_id = jobId });
        }).DisableAntiforgery();
        return app;
    }

    internal static string? CheckStatus(string? status) =>
        string.IsNullOrWhiteSpace(status) ? null
        : Outbox.Statuses.Contains(status, StringComparer.Ordinal) ? status
        : throw new InputException("invalid_status", "status is pending, sent or failed.");

    /// <summary>Says once, at start, that e-mail is off, so nobody waits for e-mails that are never written.</summary>
    private sealed class NotificationStartupLog(IOptions<NotificationOptions> options, ILogger<NotificationStartupLog> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (!options.Value.EmailEnabled)
                logger.LogInformation("E-mail notifications are off (Notifications:Smtp:Host is empty): no e-mail messages are written to the outbox");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
