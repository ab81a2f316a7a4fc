using System.Globalization;
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
        services.AddHostedService<NotificationStartupLog>();
        return services;
    }

    /// <summary>The admin API over the outbox: list, and retry a failed message.</summary>
    public static IEndpointRouteBuilder MapNotifications(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/notifications").WithTags("Notifications").RequireAuthorization(Policies.Admin);

        group.MapGet("/", async (string? status, int? limit, NpgsqlDataSource db, CancellationToken cancellationToken) =>
            Results.Ok(await Outbox.ListAsync(db, CheckStatus(status), Math.Clamp(limit ?? 200, 1, 1000), cancellationToken)));

        group.MapPost("/{id:long}/retry", async (long id, HttpContext http, NotificationDelivery delivery, NpgsqlDataSource db, IAntiforgery antiforgery) =>
        {
            // Administrators are people, so this always comes from a browser: the cookie alone must not be enough.
            if (!await antiforgery.IsRequestValidAsync(http))
                return Results.Problem(statusCode: 400, title: "The anti-forgery token is missing or invalid; reload the page and try again.",
                    extensions: new Dictionary<string, object?> { ["code"] = "antiforgery" });
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
