using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PostalPeak.Accounts;
using PostalPeak.Alerts;
using PostalPeak.Incidents;
using PostalPeak.Tests.Alerts;

namespace PostalPeak.Tests.Incidents;

/// <summary>Incident reports against the real database, the real SMTP server and the real HTTP receiver.</summary>
public sealed class IncidentTests
{
    /// <summary>The eight bytes every PNG starts with, and a little more: enough for the sniffer, not a real picture.</summary>
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];

    private static object Report(string type = "weather", string severity = "critical") => new
    {
        type,
        severity,
        started_at = "2026-02-10T06:30:00+07:00",
        unit_codes = new[] { NotificationTestKit.UnitCode },
        parcels_affected = 1200,
        description = "Ngập kho Bỉm Sơn sau mưa lớn",
        actions = "Chuyển hàng sang kho dự phòng",
        contact = "Nguyễn Văn A, 0912 345 678",
    };

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private static async Task<long> ReportAsync(HttpClient client, string? query = null)
    {
        var response = await client.PostAsJsonAsync("/api/v1/incidents" + query, Report());
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await JsonAsync(response)).GetProperty("id").GetInt64();
    }

    private static MultipartFormDataContent Multipart(object incident, string fileName, string contentType, byte[] content)
    {
        var form = new MultipartFormDataContent { { new StringContent(JsonSerializer.Serialize(incident), Encoding.UTF8, "application/json"), "incident" } };
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "files", fileName);
        return form;
    }

    [Fact]
    public async Task AnIncidentReportedByTokenReachesTheDepartmentsMailboxAndWebhookOnceEvenAfterTheReceiverFailedOnce()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = call => call == 1 ? 500 : 200;
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Notifications:Smtp:Host"] = "127.0.0.1",
            ["Notifications:Smtp:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Notifications:Smtp:Security"] = "None",
            ["Notifications:Smtp:From"] = "canhbao@sokhcn.example",
            ["Notifications:DepartmentEmails:0"] = "giamsat@sokhcn.example",
            ["Notifications:RetryBaseSeconds"] = "1",
            ["Notifications:Webhooks:0:Name"] = "ops-center",
            ["Notifications:Webhooks:0:Url"] = receiver.Url.ToString(),
            ["Notifications:Webhooks:0:Secret"] = NotificationTestKit.Secret,
        });
        await app.AddCarrierAsync("HOATOC");
        using var token = app.Client(await app.CreateTokenAsync("HOATOC"));

        var id = await ReportAsync(token);
        List<long> ids;
        await using (var connection = await app.Db.OpenConnectionAsync())
            ids = (await connection.QueryAsync<long>("select id from notification where incident_id = @id order by id", new { id })).AsList();
        var delivery = app.Services.GetRequiredService<NotificationDelivery>();
        foreach (var notification in ids)
        {
            await delivery.DeliverAsync(notification, CancellationToken.None);
            await delivery.DeliverAsync(notification, CancellationToken.None); // the webhook's retry, one second later at most
            await delivery.DeliverAsync(notification, CancellationToken.None); // a job run twice sends nothing more
        }

        Assert.Equal(2, ids.Count);
        var (to, message) = Assert.Single(smtp.Messages);
        Assert.Equal(["giamsat@sokhcn.example"], to);
        Assert.Contains("Báo cáo sự cố: Thời tiết, thiên tai – HOATOC", message.Subject, StringComparison.Ordinal);
        var text = message.TextBody!.ReplaceLineEndings("\n");
        var separator = text.IndexOf(AlertMessages.EnglishSeparator, StringComparison.Ordinal);
        Assert.True(separator > 0, text);
        Assert.Contains("Bắt đầu lúc: 10/02/2026 06:30 (giờ Việt Nam)", text[..separator], StringComparison.Ordinal);
        Assert.Contains("Mức độ: Nghiêm trọng", text[..separator], StringComparison.Ordinal);
        Assert.Contains("Severity: Critical", text[separator..], StringComparison.Ordinal);

        var calls = receiver.Calls.ToList();
        Assert.Equal([500, 200], calls.Select(c => c.Answered));
        var payload = JsonDocument.Parse(calls[1].Body).RootElement;
        Assert.Equal("incident.reported", payload.GetProperty("event").GetString());
        Assert.Equal(id, payload.GetProperty("incident").GetProperty("id").GetInt64());
        Assert.Equal("HOATOC", payload.GetProperty("incident").GetProperty("carrier_code").GetString());
        var timestamp = long.Parse(calls[1].Headers["X-PostalPeak-Timestamp"], CultureInfo.InvariantCulture);
        Assert.Equal(WebhookSender.Sign(NotificationTestKit.Secret, timestamp, calls[1].Body), calls[1].Headers["X-PostalPeak-Signature"]);
        var webhook = await NotificationTestKit.RowAsync(app.Db, ids.Single(n => n == ids.Max()));
        Assert.Equal(("sent", 2), (webhook.Status, webhook.Attempts));
        Assert.Equal([false, true], (await NotificationTestKit.AttemptsAsync(app.Db, webhook.Id)).Select(a => a.Succeeded));
    }

    [Fact]
    public async Task TheLifecycleGoesStepByStepWithAnAuditEntryAndATimelineEntryForEachChangeAndRefusesASkippedStep()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("HOATOC");
        await app.AddUserAsync("analyst", Roles.Analyst);
        await app.AddUserAsync("manager", Roles.CarrierManager, "HOATOC");
        using var analyst = await app.SignedInClientAsync("analyst", antiforgeryHeader: true);
        using var manager = await app.SignedInClientAsync("manager", antiforgeryHeader: true);
        var id = await ReportAsync(manager);

        var skipped = await manager.PostAsJsonAsync($"/api/v1/incidents/{id}/state", new { state = "resolved" });
        Assert.Equal(HttpStatusCode.Conflict, skipped.StatusCode);
        Assert.Equal("incident_invalid_transition", (await JsonAsync(skipped)).GetProperty("code").GetString());
        var carrierAcknowledges = await manager.PostAsJsonAsync($"/api/v1/incidents/{id}/state", new { state = "acknowledged" });
        Assert.Equal(HttpStatusCode.Forbidden, carrierAcknowledges.StatusCode);
        Assert.Equal("incident_department_only", (await JsonAsync(carrierAcknowledges)).GetProperty("code").GetString());

        foreach (var (client, state) in new[] { (analyst, "acknowledged"), (manager, "handling"), (manager, "resolved"), (analyst, "closed") })
        {
            var response = await client.PostAsJsonAsync($"/api/v1/incidents/{id}/state", new { state, note = "ok" });
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            Assert.Equal(state, (await JsonAsync(response)).GetProperty("state").GetString());
        }
        Assert.Equal(HttpStatusCode.Created, (await analyst.PostAsJsonAsync($"/api/v1/incidents/{id}/updates", new { text = "Đã kiểm tra tại chỗ" })).StatusCode);
        var again = await analyst.PostAsJsonAsync($"/api/v1/incidents/{id}/state", new { state = "closed" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        var detail = await JsonAsync(await analyst.GetAsync($"/api/v1/incidents/{id}"));
        var timeline = detail.GetProperty("timeline").EnumerateArray().ToList();
        Assert.Equal(["reported>acknowledged:department", "acknowledged>handling:carrier", "handling>resolved:carrier", "resolved>closed:department", ">:department"],
            timeline.Select(u => $"{u.GetProperty("state_from").GetString()}>{u.GetProperty("state_to").GetString()}:{u.GetProperty("side").GetString()}"));
        Assert.Equal("closed", detail.GetProperty("incident").GetProperty("state").GetString());
        Assert.Equal(1, await app.CountAuditAsync("incident.report"));
        Assert.Equal(4, await app.CountAuditAsync("incident.state"));
        Assert.Equal(1, await app.CountAuditAsync("incident.update"));
    }

    [Fact]
    public async Task ACarrierCannotSeeOrChangeAnotherCarriersIncidentsOrAttachmentsWhichAnswerAsMissingOnes()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("HOATOC");
        await app.AddCarrierAsync("LAMSON");
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var own = app.Client(await app.CreateTokenAsync("HOATOC"));
        using var other = app.Client(await app.CreateTokenAsync("LAMSON"));
        using var analyst = await app.SignedInClientAsync("analyst", antiforgeryHeader: true);
        var created = await own.PostAsync("/api/v1/incidents", Multipart(Report(), "kho.png", "image/png", Png));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await JsonAsync(created)).GetProperty("id").GetInt64();
        var missing = id + 1000;

        var attachment = await own.GetAsync($"/api/v1/incidents/{id}/attachments/1");
        Assert.Equal(HttpStatusCode.OK, attachment.StatusCode);
        Assert.Equal("image/png", attachment.Content.Headers.ContentType?.MediaType);
        Assert.Equal("kho.png", attachment.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal(Png, await attachment.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync($"/api/v1/incidents/{id}/attachments/1")).StatusCode);

        foreach (var target in new[] { id, missing })
        {
            var answers = new[]
            {
                await other.GetAsync($"/api/v1/incidents/{target}"),
                await other.GetAsync($"/api/v1/incidents/{target}/attachments/1"),
                await other.PostAsJsonAsync($"/api/v1/incidents/{target}/updates", new { text = "x" }),
                await other.PostAsJsonAsync($"/api/v1/incidents/{target}/state", new { state = "handling" }),
            };
            foreach (var answer in answers)
            {
                Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
                Assert.Equal("not_found", (await JsonAsync(answer)).GetProperty("code").GetString());
                Assert.DoesNotContain("Ngập", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }
        Assert.Empty((await JsonAsync(await other.GetAsync("/api/v1/incidents"))).EnumerateArray());
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/api/v1/incidents?carrier=HOATOC")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsJsonAsync("/api/v1/incidents?carrier=HOATOC", Report())).StatusCode);
        Assert.Single((await JsonAsync(await analyst.GetAsync("/api/v1/incidents?carrier=HOATOC"))).EnumerateArray());
        var csv = await analyst.GetStringAsync("/api/v1/incidents?format=csv");
        Assert.Contains("HOATOC", csv, StringComparison.Ordinal);
        Assert.Equal(0, await app.CountAuditAsync("incident.state"));
    }

    [Fact]
    public async Task AnAttachmentThatIsNotWhatItClaimsIsRefusedAndNothingIsStored()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("HOATOC");
        using var token = app.Client(await app.CreateTokenAsync("HOATOC"));

        var text = await token.PostAsync("/api/v1/incidents", Multipart(Report(), "photo.png", "image/png", "not a picture at all"u8.ToArray()));
        var renamed = await token.PostAsync("/api/v1/incidents", Multipart(Report(), "report.pdf", "application/pdf", Png));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        Assert.Equal("attachment_unsupported", (await JsonAsync(text)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, renamed.StatusCode);
        Assert.Equal("attachment_mismatch", (await JsonAsync(renamed)).GetProperty("code").GetString());
        await using var connection = await app.Db.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("select count(*) from incident"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("select count(*) from notification"));
    }

    [Theory]
    [InlineData("vi-VN", "Loại sự cố không hợp lệ", "Không có đơn vị hành chính nào mang mã 99999", "Thời điểm bắt đầu", "Hãy mô tả diễn biến sự cố")]
    [InlineData("en-US", "The incident type is not valid", "No administrative unit has the code 99999", "is in the future", "Say what happened")]
    public async Task BadInputIsRefusedWithASpecificMessageInTheReadersLanguage(string language, string badType, string badUnit, string future, string noDescription)
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("HOATOC");
        using var token = app.Client(await app.CreateTokenAsync("HOATOC"));

        async Task<(HttpStatusCode Status, string Code, string Detail)> SendAsync(object body)
        {
            var response = await token.PostAsJsonAsync("/api/v1/incidents?culture=" + language, body);
            var problem = await JsonAsync(response);
            return (response.StatusCode, problem.GetProperty("code").GetString()!, problem.GetProperty("detail").GetString()!);
        }

        var type = await SendAsync(Report(type: "flood"));
        var unit = await SendAsync(new { type = "fire", severity = "info", started_at = "2026-02-10T06:30:00+07:00", unit_codes = new[] { "99999" }, description = "x", contact = "y" });
        var later = await SendAsync(new { type = "fire", severity = "info", started_at = "2099-01-01T00:00:00+07:00", description = "x", contact = "y" });
        var parcels = await SendAsync(new { type = "fire", severity = "info", started_at = "2026-02-10T06:30:00+07:00", parcels_affected = "many", description = "x", contact = "y" });

        Assert.Equal((HttpStatusCode.BadRequest, "incident_invalid_type"), (type.Status, type.Code));
        Assert.Contains(badType, type.Detail, StringComparison.Ordinal);
        Assert.Equal("incident_unknown_units", unit.Code);
        Assert.Contains(badUnit, unit.Detail, StringComparison.Ordinal);
        Assert.Equal("incident_started_in_future", later.Code);
        Assert.Contains(future, later.Detail, StringComparison.Ordinal);
        var empty = await SendAsync(new { type = "fire", severity = "info", started_at = "2026-02-10T06:30:00+07:00", description = " ", contact = "y" });
        Assert.Equal((HttpStatusCode.BadRequest, "incident_description_required"), (empty.Status, empty.Code));
        Assert.Contains(noDescription, empty.Detail, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.BadRequest, "incident_invalid_field"), (parcels.Status, parcels.Code));
        Assert.Contains("parcels_affected", parcels.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOpenIncidentWithoutUpdateForStaleHoursRemindsBothSidesOnceAndAResolvedOneNothing()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Notifications:Smtp:Host"] = "127.0.0.1",
            ["Notifications:Smtp:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Notifications:Smtp:Security"] = "None",
            ["Notifications:Smtp:From"] = "canhbao@sokhcn.example",
            ["Notifications:DepartmentEmails:0"] = "giamsat@sokhcn.example",
            ["Incidents:StaleHours"] = "12",
        });
        await app.AddCarrierAsync("HOATOC"); // contact: ops@hoatoc.example
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var token = app.Client(await app.CreateTokenAsync("HOATOC"));
        using var analyst = await app.SignedInClientAsync("analyst", antiforgeryHeader: true);
        var quiet = await ReportAsync(token);
        var recent = await ReportAsync(token);
        var resolved = await ReportAsync(token);
        foreach (var state in new[] { "acknowledged", "handling", "resolved" })
            Assert.Equal(HttpStatusCode.OK, (await analyst.PostAsJsonAsync($"/api/v1/incidents/{resolved}/state", new { state })).StatusCode);
        await using (var connection = await app.Db.OpenConnectionAsync())
            await connection.ExecuteAsync("update incident set updated_at = now() - interval '13 hours' where id = any(@ids)",
                new { ids = new[] { quiet, resolved } });

        var job = app.Services.GetRequiredService<IncidentReminderJob>();
        var first = await job.RunAsync(CancellationToken.None);
        var second = await job.RunAsync(CancellationToken.None);

        Assert.Equal((1, 0), (first, second));
        List<(long Id, long IncidentId, string Recipient)> rows;
        await using (var connection = await app.Db.OpenConnectionAsync())
            rows = (await connection.QueryAsync<(long, long, string)>(
                "select id, incident_id, recipient from notification where kind = 'incident_stale' order by recipient")).AsList();
        Assert.Equal([(quiet, "giamsat@sokhcn.example"), (quiet, "ops@hoatoc.example")], rows.Select(r => (r.IncidentId, r.Recipient)));
        var delivery = app.Services.GetRequiredService<NotificationDelivery>();
        foreach (var row in rows)
            await delivery.DeliverAsync(row.Id, CancellationToken.None);
        Assert.Equal(2, smtp.Messages.Count);
        Assert.All(smtp.Messages, m => Assert.Contains("Sự cố chưa có cập nhật", m.Message.Subject, StringComparison.Ordinal));
        Assert.Contains($"Sự cố #{quiet} chưa có cập nhật nào trong 12 giờ", smtp.Messages[0].Message.TextBody, StringComparison.Ordinal);
    }
}
