using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MimeKit;
using Npgsql;
using PostalPeak.Alerts;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace PostalPeak.Tests.Alerts;

/// <summary>Alerts, notices and outbox rows for notification tests.</summary>
internal static class NotificationTestKit
{
    public const string RuleCode = "backlog_days_to_clear";
    public const string UnitCode = "380";
    public const string UnitName = "Thành phố Thanh Hóa";
    public const string Secret = "test-webhook-secret-0123456789";

    /// <summary>A firing alert row, so the notification's alert_id has something to refer to.</summary>
    public static async Task<long> InsertAlertAsync(NpgsqlDataSource db, string carrierCode)
    {
        const string sql = """
            insert into alert (rule_id, carrier_id, unit_code, state, started_on, firing_on, last_held_on, value, threshold, raised_at)
            select r.id, c.id, @UnitCode, 'firing', date '2026-02-03', date '2026-02-04', date '2026-02-04', 4.666, r.threshold, now()
            from alert_rule r, carrier c
            where r.code = @RuleCode and c.code = @carrierCode
            returning id
            """;
        await using var connection = await db.OpenConnectionAsync();
        return await connection.QuerySingleAsync<long>(sql, new { UnitCode, RuleCode, carrierCode });
    }

    public static AlertNotice Notice(long alertId, string carrierCode, params string[] channels) => new(
        alertId, "firing", 0, RuleCode, "Tồn đọng cần hơn 3 ngày để giải tỏa", "Backlog needs more than 3 days to clear", "warning",
        "days_to_clear", ">", 3, 1234.666, carrierCode, $"Carrier {carrierCode}", UnitCode, UnitName,
        new DateOnly(2026, 2, 3), new DateOnly(2026, 2, 4), null, channels);

    /// <summary>What the evaluator will do: write in its transaction, commit.</summary>
    public static async Task<IReadOnlyList<long>> AddToOutboxAsync(NpgsqlDataSource db, AlertNotice notice, NotificationOptions options)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var ids = await Outbox.AddAsync(connection, transaction, notice, options, CancellationToken.None);
        await transaction.CommitAsync();
        return ids;
    }

    public sealed record Row(long Id, string Channel, string Recipient, string Subject, string Body, string Payload, string Status, int Attempts,
        string? LastError, DateTime? SentAt);

    public sealed record Attempt(int Number, bool Succeeded, string? Error, int DurationMs);

    public static async Task<Row> RowAsync(NpgsqlDataSource db, long id)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.QuerySingleAsync<Row>(
            "select id, channel, recipient, subject, body, payload::text as payload, status, attempts, last_error as LastError, sent_at as SentAt from notification where id = @id",
            new { id });
    }

    public static async Task<IReadOnlyList<Attempt>> AttemptsAsync(NpgsqlDataSource db, long id)
    {
        await using var connection = await db.OpenConnectionAsync();
        return (await connection.QueryAsync<Attempt>(
            "select attempt as Number, succeeded, error, duration_ms as DurationMs from notification_attempt where notification_id = @id order by attempt",
            new { id })).AsList();
    }

    public static async Task<long> CountAsync(NpgsqlDataSource db)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("select count(*) from notification");
    }

    public static async Task<Row> WaitForStatusAsync(NpgsqlDataSource db, long id, string status, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var row = await RowAsync(db, id);
            if (row.Status == status)
                return row;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Notification {id} is still {row.Status} after {timeout} ({row.Attempts} attempts, last error: {row.LastError}).");
            await Task.Delay(200);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A real SMTP server in the test process (SmtpServer package) that keeps every message it accepts.</summary>
internal sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly Task _running;
    private readonly Store _store;

    private SmtpTestServer(int port, Store store, CancellationTokenSource stop, Task running)
    {
        Port = port;
        _store = store;
        _stop = stop;
        _running = running;
    }

    public int Port { get; }

    /// <summary>Each accepted message with the envelope recipients it was delivered to.</summary>
    public IReadOnlyList<(IReadOnlyList<string> To, MimeMessage Message)> Messages => _store.Messages.ToList();

    /// <summary>Plain SMTP, or with a certificate: STARTTLS (or TLS from the first byte) and, with a login, AUTH required and only over TLS.</summary>
    public static async Task<SmtpTestServer> StartAsync(X509Certificate2? certificate = null, bool tlsOnConnect = false,
        (string User, string Password)? login = null)
    {
        var port = NotificationTestKit.FreePort();
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(endpoint =>
            {
                endpoint.Endpoint(new IPEndPoint(IPAddress.Loopback, port));
                if (certificate is not null)
                    endpoint.Certificate(certificate).IsSecure(tlsOnConnect);
                if (login is not null)
                    endpoint.AuthenticationRequired().AllowUnsecureAuthentication(false);
            })
            .Build();
        var store = new Store();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(store);
        if (login is { } expected)
            services.Add(new Login(expected.User, expected.Password, store));
        var stop = new CancellationTokenSource();
        var running = new SmtpServer.SmtpServer(options, services).StartAsync(stop.Token);
        // The listener binds asynchronously: wait until it accepts connections.
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        return new SmtpTestServer(port, store, stop, running);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    /// <summary>The user names the server accepted a login from.</summary>
    public IReadOnlyList<string> SignedIn => _store.SignedIn.ToList();

    private sealed class Login(string user, string password, Store store) : IUserAuthenticator
    {
        public Task<bool> AuthenticateAsync(ISessionContext context, string user1, string password1, CancellationToken cancellationToken)
        {
            var accepted = user1 == user && password1 == password;
            if (accepted)
                store.SignedIn.Enqueue(user1);
            return Task.FromResult(accepted);
        }
    }

    private sealed class Store : MessageStore
    {
        public ConcurrentQueue<(IReadOnlyList<string> To, MimeMessage Message)> Messages { get; } = new();

        public ConcurrentQueue<string> SignedIn { get; } = new();

        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
            CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            Messages.Enqueue((transaction.To.Select(m => m.AsAddress()).ToList(), message));
            return SmtpResponse.Ok;
        }
    }
}

/// <summary>A real HTTP receiver (Kestrel on 127.0.0.1) that records every webhook call and answers as told.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _calls;

    private WebhookReceiver(WebApplication app) => _app = app;

    public sealed record Call(DateTimeOffset At, IReadOnlyDictionary<string, string> Headers, byte[] Body, int Answered);

    public ConcurrentQueue<Call> Calls { get; } = new();

    /// <summary>The status code for the n-th call (1-based).</summary>
    public Func<int, int> Answer { get; set; } = _ => 200;

    public Uri Url => new(new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()), "/hook");

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var status = receiver.Answer(Interlocked.Increment(ref receiver._calls));
            receiver.Calls.Enqueue(new Call(DateTimeOffset.UtcNow,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body.ToArray(), status));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
