using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using PostalPeak.Accounts;
using PostalPeak.Alerts;
using PostalPeak.Tests.Indicators;
using SkiaSharp;
using Xunit.Abstractions;

namespace PostalPeak.Tests.Alerts;

/// <summary>The daily digest: written once per day, group and recipient, delivered over real SMTP with its chart.</summary>
public sealed class DigestTests(ITestOutputHelper output)
{
    /// <summary>Inside the 2026 season (Tết 17/02/2026, window 18/01…04/03/2026); communes are the units in force.</summary>
    private static readonly DateOnly ReportDay = new(2026, 2, 5);

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static Dictionary<string, string?> Email(int port) => new()
    {
        ["Notifications:Smtp:Host"] = "127.0.0.1",
        ["Notifications:Smtp:Port"] = port.ToString(CultureInfo.InvariantCulture),
        ["Notifications:Smtp:Security"] = "None",
        ["Notifications:Smtp:From"] = "baocao@sokhcn.example",
        ["Notifications:DepartmentEmails:0"] = "giamsat@sokhcn.example",
    };

    /// <summary>Four or five days of two communes for a carrier, through the real upload path; <paramref name="lostOnLastDay"/> parcels lost on the last.</summary>
    private static async Task IngestDaysAsync(TestApp app, string carrier, int days, int received, int lostOnLastDay = 0)
    {
        var csv = new StringBuilder("report_date,unit_code,received,delivered,lost,backlog\n");
        for (var i = days - 1; i >= 0; i--)
        {
            var day = ReportDay.AddDays(-i - (5 - days));
            foreach (var unit in new[] { "14758", "14797" })
                csv.Append(CultureInfo.InvariantCulture,
                    $"{day:yyyy-MM-dd},{unit},{received},{received - 100},{(i == 0 ? lostOnLastDay : 0)},{400 + 100 * (days - i)}\n");
        }
        Assert.Equal("accepted", (await IndicatorTestData.IngestAsync(app, carrier, csv.ToString(), $"{carrier}.csv")).Status);
    }

    private static async Task<long> DigestRowsAsync(TestApp app)
    {
        await using var connection = await app.Db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("select count(*) from notification where kind = 'digest'");
    }

    private static byte[] Attachment(MimeMessage message)
    {
        var part = Assert.IsType<MimePart>(Assert.Single(message.Attachments));
        Assert.Equal("image/png", part.ContentType.MimeType);
        using var content = new MemoryStream();
        part.Content!.DecodeTo(content);
        return content.ToArray();
    }

    [Fact]
    public async Task TheDepartmentGetsEveryCarrierAndTheMissingReportAndEachCarrierOnlyItsOwnWithTheChartAttachedOnce()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        await using var app = await TestApp.StartAsync(settings: Email(smtp.Port));
        var alpha = await app.AddCarrierAsync("ALPHA"); // contact ops@alpha.example
        var beta = await app.AddCarrierAsync("BETA");   // contact ops@beta.example
        await IngestDaysAsync(app, "ALPHA", days: 5, received: 1000, lostOnLastDay: 9);
        await IngestDaysAsync(app, "BETA", days: 4, received: 600); // nothing for the report day
        var evaluator = app.Services.GetRequiredService<AlertEvaluator>();
        await evaluator.EvaluateCarrierAsync(alpha.Id, CancellationToken.None);
        await evaluator.EvaluateCarrierAsync(beta.Id, CancellationToken.None);
        var digest = app.Services.GetRequiredService<DigestJob>();

        var watch = Stopwatch.StartNew();
        var ids = await digest.ComposeAsync(ReportDay, CancellationToken.None);
        output.WriteLine($"Composed {ids.Count} digests (3 charts) in {watch.ElapsedMilliseconds} ms");
        var again = await digest.ComposeAsync(ReportDay, CancellationToken.None);
        var delivery = app.Services.GetRequiredService<NotificationDelivery>();
        foreach (var id in ids)
            await delivery.DeliverAsync(id, CancellationToken.None);

        Assert.Equal(3, ids.Count);
        Assert.Empty(again);
        Assert.Equal(3, await DigestRowsAsync(app));
        var received = smtp.Messages.ToDictionary(m => m.To.Single(), m => m.Message, StringComparer.Ordinal);
        Assert.Equal(["giamsat@sokhcn.example", "ops@alpha.example", "ops@beta.example"], received.Keys.Order(StringComparer.Ordinal));

        var department = received["giamsat@sokhcn.example"];
        Assert.Equal(DigestMessages.Subject(ReportDay, null), department.Subject);
        var text = (department.TextBody ?? "").ReplaceLineEndings("\n");
        var separator = text.IndexOf(AlertMessages.EnglishSeparator, StringComparison.Ordinal);
        Assert.True(separator > 0, text);
        var (vi, en) = (text[..separator], text[separator..]);
        Assert.Contains("== Carrier ALPHA (ALPHA) ==", vi, StringComparison.Ordinal);
        Assert.Contains("== Carrier BETA (BETA) ==", vi, StringComparison.Ordinal);
        Assert.Contains("Bưu gửi nhận: 2.000", vi, StringComparison.Ordinal);
        // Of ALPHA's service units (the two it reports), not of the province's 166 communes.
        Assert.Contains("Đơn vị đã báo cáo: 2/2", vi, StringComparison.Ordinal);
        Assert.Contains("CHƯA GỬI BÁO CÁO cho ngày này.", vi, StringComparison.Ordinal);
        Assert.Contains("Nhiều bưu gửi thất lạc trong ngày", vi, StringComparison.Ordinal);
        Assert.Contains("Số liệu do doanh nghiệp tự báo cáo.", vi, StringComparison.Ordinal);
        Assert.Contains("Received: 2,000", en, StringComparison.Ordinal);
        Assert.Contains("NO REPORT for this day.", en, StringComparison.Ordinal);
        Assert.Contains("Began firing:", en, StringComparison.Ordinal);
        Assert.Contains("Many parcels lost in a day", en, StringComparison.Ordinal);
        var chart = Attachment(department);
        Assert.Equal(PngSignature, chart[..8]);
        Assert.True(chart.Length > 5 * 1024, $"The chart has {chart.Length} bytes.");

        var alphaText = received["ops@alpha.example"].TextBody ?? "";
        Assert.Contains("ALPHA", alphaText, StringComparison.Ordinal);
        Assert.DoesNotContain("BETA", alphaText, StringComparison.Ordinal);
        Assert.Contains("Many parcels lost in a day", alphaText, StringComparison.Ordinal);
        var betaText = received["ops@beta.example"].TextBody ?? "";
        Assert.Contains("NO REPORT for this day.", betaText, StringComparison.Ordinal);
        Assert.DoesNotContain("ALPHA", betaText, StringComparison.Ordinal);
        Assert.Equal(PngSignature, Attachment(received["ops@beta.example"])[..8]);
    }

    [Fact]
    public async Task AnEmptyDayInTheSeasonIsSentButOutsideEverySeasonNothingIsWrittenAndWithoutSmtpNeither()
    {
        await using (var app = await TestApp.StartAsync(settings: Email(port: 2525)))
        {
            await app.AddCarrierAsync("ALPHA");
            var digest = app.Services.GetRequiredService<DigestJob>();

            var inSeason = await digest.ComposeAsync(new DateOnly(2026, 2, 20), CancellationToken.None);
            var offSeason = await digest.ComposeAsync(new DateOnly(2026, 6, 15), CancellationToken.None);

            Assert.Equal(2, inSeason.Count); // the department and ALPHA's contact
            Assert.Empty(offSeason);
        }
        await using (var app = await TestApp.StartAsync())
        {
            await app.AddCarrierAsync("ALPHA");

            Assert.Empty(await app.Services.GetRequiredService<DigestJob>().ComposeAsync(new DateOnly(2026, 2, 20), CancellationToken.None));
            Assert.Equal(0, await DigestRowsAsync(app));
        }
    }

    [Fact]
    public async Task AnAdministratorQueuesTheDigestOfADayWithTheAntiforgeryHeaderAndNobodyElseCan()
    {
        await using var app = await TestApp.StartAsync(settings: Email(port: 2525));
        await app.AddUserAsync("admin", Roles.Admin);
        await app.AddUserAsync("analyst", Roles.Analyst);
        using var admin = await app.SignedInClientAsync("admin");
        using var analyst = await app.SignedInClientAsync("analyst");
        var token = await TestApp.AntiforgeryTokenAsync(admin, "/admin/notifications");

        async Task<HttpStatusCode> PostAsync(HttpClient client, string query, string? csrf)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/notifications/digest" + query);
            if (csrf is not null)
                request.Headers.Add("X-CSRF-TOKEN", csrf);
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(admin, "?day=2026-02-05", token));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(admin, "?day=2026-02-05", null));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(admin, "?day=05/02/2026", token));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(admin, "?day=2999-01-01", token));
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(analyst, "?day=2026-02-05", token));
        Assert.Equal(1, await app.CountAuditAsync("notification.digest"));
    }

    [Fact]
    public void TheChartDrawsItsTextSoAFontWasFound()
    {
        // SkiaSharp's native library without fontconfig finds no font and silently draws charts without any text.
        using var typeface = SKFontManager.Default.MatchFamily(DigestChart.FontName);
        Assert.NotNull(typeface);
        Assert.Equal(DigestChart.FontName, typeface.FamilyName);

        var tet = new DateOnly(2026, 2, 17);
        var points = Enumerable.Range(-30, 40).Select(i => (tet.AddDays(i), (long?)(5000 + 80 * i))).ToList();
        DigestSeries[] series = [new("Bưu chính Sao Khuê (SAOKHUE)", points), new("Toàn tỉnh · Province", points, Total: true)];
        var warm = DigestChart.RenderPng("Tồn đọng cuối ngày toàn tỉnh – Tết Bính Ngọ 2026", tet.AddDays(-30), tet.AddDays(15), tet, series);
        var watch = Stopwatch.StartNew();
        var withText = DigestChart.RenderPng("Tồn đọng cuối ngày toàn tỉnh – Tết Bính Ngọ 2026", tet.AddDays(-30), tet.AddDays(15), tet, series);
        var elapsed = watch.Elapsed;
        var withoutText = DigestChart.RenderPng("Tồn đọng cuối ngày toàn tỉnh – Tết Bính Ngọ 2026", tet.AddDays(-30), tet.AddDays(15), tet, series,
            withText: false);

        output.WriteLine($"Warm render {elapsed.TotalMilliseconds:0} ms; {withText.Length} bytes with text, {withoutText.Length} without");
        Assert.Equal(PngSignature, warm[..8]);
        var textPixels = DarkPixels(withText) - DarkPixels(withoutText);
        output.WriteLine($"{textPixels} more dark pixels with text");
        // The title, the axis label, the legend, "Tết" and the tick labels: about 3,500 dark pixels here; none without a font.
        Assert.True(textPixels > 2000, $"Only {textPixels} more dark pixels with text than without.");
        Assert.True(withText.Length > withoutText.Length * 1.2, $"{withText.Length} bytes with text, {withoutText.Length} without.");
    }

    private static int DarkPixels(byte[] png)
    {
        using var bitmap = SKBitmap.Decode(png);
        var dark = 0;
        for (var y = 0; y < bitmap.Height; y++)
            for (var x = 0; x < bitmap.Width; x++)
            {
                var pixel = bitmap.GetPixel(x, y);
                if (pixel.Red < 90 && pixel.Green < 90 && pixel.Blue < 90)
                    dark++;
            }
        return dark;
    }
}
