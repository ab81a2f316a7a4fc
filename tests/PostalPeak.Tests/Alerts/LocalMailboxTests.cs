using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PostalPeak.Accounts;
using PostalPeak.Alerts;

namespace PostalPeak.Tests.Alerts;

/// <summary>The local mailbox: without an SMTP server, e-mail is kept and readable instead of never written.</summary>
public sealed class LocalMailboxTests
{
    private static readonly Dictionary<string, string?> Mailbox = new()
    {
        ["Notifications:LocalMailbox"] = "true",
        ["Notifications:DepartmentEmails:0"] = "giamsat@sokhcn.example",
    };

    [Fact]
    public async Task AnAlertEmailIsKeptOnceInTheLocalMailboxAndShownToTheDepartmentOnly()
    {
        await using var app = await TestApp.StartAsync(settings: Mailbox);
        await app.AddCarrierAsync("ALPHA"); // contact: ops@alpha.example
        await app.AddUserAsync("analyst", Roles.Analyst);
        await app.AddUserAsync("manager", Roles.CarrierManager, "ALPHA");
        var alertId = await NotificationTestKit.InsertAlertAsync(app.Db, "ALPHA");
        var notice = NotificationTestKit.Notice(alertId, "ALPHA", "email");
        var options = app.Services.GetRequiredService<IOptions<NotificationOptions>>().Value;

        var ids = await NotificationTestKit.AddToOutboxAsync(app.Db, notice, options);
        var delivery = app.Services.GetRequiredService<NotificationDelivery>();
        foreach (var id in ids)
        {
            await delivery.DeliverAsync(id, CancellationToken.None);
            await delivery.DeliverAsync(id, CancellationToken.None); // a second run of the job keeps nothing twice
        }
        await using var connection = await app.Db.OpenConnectionAsync();
        var kept = (await connection.QueryAsync<(string Recipient, string Subject, string Body)>(
            "select recipient, subject, body from local_mail order by recipient")).AsList();
        var statuses = new List<string>();
        foreach (var id in ids)
            statuses.Add((await NotificationTestKit.RowAsync(app.Db, id)).Status);
        var page = await (await (await app.SignedInClientAsync("analyst")).GetAsync("/admin/mailbox")).Content.ReadAsStringAsync();
        var forbidden = await (await app.SignedInClientAsync("manager")).GetAsync("/admin/mailbox");

        Assert.True(options.UsesLocalMailbox);
        Assert.Equal(["giamsat@sokhcn.example", "ops@alpha.example"], kept.Select(k => k.Recipient));
        Assert.All(kept, k => Assert.Equal(AlertMessages.Subject(notice), k.Subject));
        Assert.Equal(["sent", "sent"], statuses);
        Assert.Contains("Doanh nghiệp: Carrier ALPHA (ALPHA)", kept[0].Body, StringComparison.Ordinal);
        Assert.Contains("ops@alpha.example", page, StringComparison.Ordinal);
        Assert.Contains("giamsat@sokhcn.example", page, StringComparison.Ordinal);
        Assert.Equal(2, page.Split("data-test=\"mail\"").Length - 1);
        Assert.NotEqual(HttpStatusCode.OK, forbidden.StatusCode);
    }

    [Fact]
    public async Task AConfiguredSmtpServerWinsOverTheLocalMailbox()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?>(Mailbox)
        {
            ["Notifications:Smtp:Host"] = "127.0.0.1",
            ["Notifications:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Notifications:Smtp:Security"] = "None",
            ["Notifications:Smtp:From"] = "canhbao@sokhcn.example",
        });
        await app.AddCarrierAsync("ALPHA");
        var alertId = await NotificationTestKit.InsertAlertAsync(app.Db, "ALPHA");
        var options = app.Services.GetRequiredService<IOptions<NotificationOptions>>().Value;
        var ids = await NotificationTestKit.AddToOutboxAsync(app.Db, NotificationTestKit.Notice(alertId, "ALPHA", "email"), options);

        foreach (var id in ids)
            await app.Services.GetRequiredService<NotificationDelivery>().DeliverAsync(id, CancellationToken.None);
        await using var connection = await app.Db.OpenConnectionAsync();

        Assert.False(options.UsesLocalMailbox);
        Assert.Equal(2, smtp.Messages.Count);
        Assert.Equal(0L, await connection.QuerySingleAsync<long>("select count(*) from local_mail"));
    }
}
