using Dapper;
using Npgsql;

namespace PostalPeak.Alerts;

public sealed record LocalMail(long Id, long NotificationId, string Recipient, string Subject, string Body, string? AttachmentName,
    string? AttachmentType, DateTime DeliveredAt);

/// <summary>
/// E-mail kept instead of sent (Notifications:LocalMailbox without an SMTP host, as in the demo): the outbox
/// delivers into this table, and department staff read it on /admin/mailbox.
/// </summary>
public static class LocalMailbox
{
    public static async Task KeepAsync(NpgsqlDataSource db, long notificationId, string recipient, string subject, string body,
        EmailAttachment? attachment, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into local_mail (notification_id, recipient, subject, body, attachment_name, attachment_type, attachment)
            values (@notificationId, @recipient, @subject, @body, @name, @type, @content)
            on conflict (notification_id) do nothing
            """, new { notificationId, recipient, subject, body, name = attachment?.FileName, type = attachment?.ContentType, content = attachment?.Content },
            cancellationToken: cancellationToken));
    }

    public static async Task<IReadOnlyList<LocalMail>> ListAsync(NpgsqlDataSource db, string? recipient, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<LocalMail>(new CommandDefinition("""
            select id, notification_id, recipient, subject, body, attachment_name, attachment_type, delivered_at
            from local_mail
            where @recipient::text is null or recipient = @recipient
            order by id desc
            limit @limit
            """, new { recipient, limit }, cancellationToken: cancellationToken))).AsList();
    }

    public static async Task<(string Name, string Type, byte[] Content)?> AttachmentAsync(NpgsqlDataSource db, long id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string? Name, string? Type, byte[]? Content)>(new CommandDefinition(
            "select attachment_name, attachment_type, attachment from local_mail where id = @id", new { id }, cancellationToken: cancellationToken));
        return row.Content is null ? null : (row.Name ?? "attachment", row.Type ?? "application/octet-stream", row.Content);
    }
}
