using System.Diagnostics;
using System.Globalization;
using Dapper;
using Hangfire;
using Microsoft.Extensions.Options;
using Npgsql;
using PostalPeak.Audit;

namespace PostalPeak.Alerts;

/// <summary>
/// Delivers one outbox message: the Hangfire job <see cref="DeliverAsync"/>, and an administrator's
/// <see cref="RetryAsync"/> of a failed one. Retries are the outbox's own, visible in the table with every
/// attempt; Hangfire never retries on top of them.
/// </summary>
public sealed class NotificationDelivery(NpgsqlDataSource db, EmailSender email, WebhookSender webhook, IBackgroundJobClient jobs,
    IOptions<NotificationOptions> options, ILogger<NotificationDelivery> logger)
{
    /// <summary>Longest error text kept per attempt: enough for a server's answer, not a whole HTML page.</summary>
    private const int MaxErrorLength = 1000;

    private sealed record Retried(string Channel, string Recipient, int Attempts, int? CarrierId);

    private sealed record Message(long Id, string Channel, string Recipient, string Subject, string Body, int Attempts, bool Early,
        byte[]? Attachment, string? AttachmentName, string? AttachmentType);

    /// <summary>
    /// Sends the message if it is pending and due, and records the attempt. Safe to run twice: the row is
    /// locked for the whole attempt (a second run skips it) and a sent or failed message is left alone.
    /// A delivery failure does not throw: it schedules the next attempt or marks the message failed.
    /// </summary>
    [AutomaticRetry(Attempts = 0, LogEvents = false)]
    public async Task DeliverAsync(long notificationId, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // A few seconds of slack: Hangfire's schedule and the database clock may disagree slightly, and a
        // stray early copy of the job must not turn a backoff into a burst.
        const string lockSql = """
            select id, channel, recipient, subject, body, attempts, next_attempt_at > now() + interval '5 seconds' as early,
                   attachment, attachment_name, attachment_type
            from notification
            where id = @notificationId and status = 'pending'
            for update skip locked
            """;
        var message = await connection.QuerySingleOrDefaultAsync<Message>(
            new CommandDefinition(lockSql, new { notificationId }, transaction, cancellationToken: cancellationToken));
        if (message is null || message.Early)
            return; // sent, failed, being delivered by another run, or waiting for its scheduled attempt

        var attempt = message.Attempts + 1;
        var watch = Stopwatch.StartNew();
        string? error = null;
        try
        {
            if (message.Channel == "email")
                await email.SendAsync(message.Id, message.Recipient, message.Subject, message.Body,
                    message.Attachment is { } content ? new EmailAttachment(message.AttachmentName ?? "attachment", message.AttachmentType ?? "application/octet-stream", content) : null,
                    cancellationToken);
            else
                await webhook.SendAsync(message.Id, message.Recipient, message.Body, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw; // shutting down: no attempt is counted, the row stays pending and the sweep queues it again
        }
#pragma warning disable CA1031 // Whatever went wrong with the receiver is recorded on the message, not thrown.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            error = Describe(exception);
        }
        var durationMs = (int)Math.Min(int.MaxValue, watch.ElapsedMilliseconds);

        const string attemptSql = """
            insert into notification_attempt (notification_id, attempt, succeeded, error, duration_ms)
            values (@Id, @attempt, @succeeded, @error, @durationMs)
            """;
        await connection.ExecuteAsync(new CommandDefinition(attemptSql,
            new { message.Id, attempt, succeeded = error is null, error, durationMs }, transaction, cancellationToken: CancellationToken.None));

        TimeSpan? retryIn = null;
        if (error is null)
        {
            const string sentSql = "update notification set status = 'sent', sent_at = now(), attempts = @attempt, last_error = null where id = @Id";
            await connection.ExecuteAsync(new CommandDefinition(sentSql, new { message.Id, attempt }, transaction, cancellationToken: CancellationToken.None));
        }
        else
        {
            var failed = attempt >= options.Value.MaxAttempts;
            var delay = options.Value.RetryDelay(attempt);
            const string failedSql = """
                update notification
                set attempts = @attempt, last_error = @error,
                    status = case when @failed then 'failed' else 'pending' end,
                    next_attempt_at = case when @failed then next_attempt_at else now() + @delay end
                where id = @Id
                """;
            await connection.ExecuteAsync(new CommandDefinition(failedSql, new { message.Id, attempt, error, failed, delay }, transaction,
                cancellationToken: CancellationToken.None));
            retryIn = failed ? null : delay;
            if (failed)
                logger.LogWarning("Notification {Id} ({Channel} to {Recipient}) failed for good after {Attempts} attempts: {Error}",
                    message.Id, message.Channel, message.Recipient, attempt, error);
            else
                logger.LogInformation("Notification {Id} ({Channel} to {Recipient}) attempt {Attempt} failed, next in {Delay}: {Error}",
                    message.Id, message.Channel, message.Recipient, attempt, delay, error);
        }
        // Once the message was handed over, the outcome is recorded even if shutdown began meanwhile.
        await transaction.CommitAsync(CancellationToken.None);

        // After the commit: the scheduled job reads the state just written. Lost before it runs, the sweep heals it.
        if (retryIn is { } wait)
            jobs.Schedule<NotificationDelivery>(delivery => delivery.DeliverAsync(message.Id, CancellationToken.None), wait);
    }

    /// <summary>
    /// An administrator sends a failed message again: it goes back to pending, due now, and is queued. It gets
    /// one more attempt; failing again makes it failed again (its attempts are already at the limit).
    /// Returns 1, or 0 when there is no failed message with that id.
    /// </summary>
    public async Task<int> RetryAsync(long id, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        const string sql = """
            update notification n set status = 'pending', next_attempt_at = now()
            where n.id = @id and n.status = 'failed'
            returning n.channel, n.recipient, n.attempts, (select a.carrier_id from alert a where a.id = n.alert_id) as carrier_id
            """;
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var row = await connection.QuerySingleOrDefaultAsync<Retried>(sql, new { id }, transaction);
        if (row is null)
            return 0;
        await AuditLog.WriteAsync(connection, transaction, actor, "notification.retry", "notification", id.ToString(CultureInfo.InvariantCulture),
            row.CarrierId, new { channel = row.Channel, recipient = row.Recipient, attempts = row.Attempts });
        await transaction.CommitAsync();
        Outbox.Dispatch(jobs, [id]);
        return 1;
    }

    private static string Describe(Exception exception)
    {
        var text = exception.InnerException is { } inner && !exception.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? $"{exception.Message} ({inner.Message})"
            : exception.Message;
        if (exception is TaskCanceledException or TimeoutException)
            text = "No answer in time: " + text;
        return text.Length > MaxErrorLength ? text[..MaxErrorLength] + "…" : text;
    }
}
