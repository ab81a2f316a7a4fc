using System.Net;
using PostalPeak.Accounts;

namespace PostalPeak.Tests.Dashboard;

/// <summary>A page with nothing to show yet says what would fill it, in the reader's language.</summary>
public sealed class EmptyStateTests
{
    private static async Task<string> ReadAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} answered {response.StatusCode}.");
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task EmptyPagesSayWhatWouldFillThemInVietnameseAndEnglish()
    {
        await using var app = await TestApp.StartAsync();
        await app.AddCarrierAsync("OWN");
        await app.AddUserAsync("admin", Roles.Admin);
        using var admin = await app.SignedInClientAsync("admin");

        var uploads = await ReadAsync(admin, "/carriers/OWN/uploads");
        Assert.Contains("Chưa có lần gửi nào. Báo cáo ngày được gửi ở trang <a href=\"/uploads\">Gửi báo cáo ngày</a>.", uploads, StringComparison.Ordinal);
        Assert.Contains("No uploads yet. Daily reports are sent from the page <a href=\"/uploads\">Send the daily report</a>.",
            await ReadAsync(admin, "/carriers/OWN/uploads?culture=en-US"), StringComparison.Ordinal);

        // A series with no figures says so instead of drawing empty charts.
        var series = await ReadAsync(admin, "/series?season=2026&carrier=OWN");
        Assert.Contains("Chưa có số liệu của OWN trong mùa 2026: biểu đồ và bảng có khi báo cáo ngày được gửi.", series, StringComparison.Ordinal);
        Assert.DoesNotContain("data-test=\"chart-backlog\"", series, StringComparison.Ordinal);
        Assert.Contains("No figures for OWN in season 2026 yet", await ReadAsync(admin, "/series?season=2026&carrier=OWN&culture=en-US"), StringComparison.Ordinal);

        Assert.Contains("Số liệu có khi doanh nghiệp gửi báo cáo ngày của mùa ở trang Gửi báo cáo.", await ReadAsync(admin, "/indicators?season=2026"), StringComparison.Ordinal);
        Assert.Contains("Figures appear once carriers send the season's daily reports on the Upload page.",
            await ReadAsync(admin, "/indicators?season=2026&culture=en-US"), StringComparison.Ordinal);
        Assert.Contains("Mỗi doanh nghiệp có một ô khi báo cáo ngày của nó được nhận.", await ReadAsync(admin, "/dashboard?season=2026"), StringComparison.Ordinal);
        Assert.Contains("Each carrier gets a tile once its daily report for the day is received.",
            await ReadAsync(admin, "/dashboard?season=2026&culture=en-US"), StringComparison.Ordinal);
        Assert.Contains("Sự cố do doanh nghiệp báo cáo (bão, ngập, sự cố hệ thống…) sẽ hiện ở đây.", await ReadAsync(admin, "/incidents"), StringComparison.Ordinal);
        Assert.Contains("Incidents carriers report (storms, floods, system failures…) appear here.",
            await ReadAsync(admin, "/incidents?culture=en-US"), StringComparison.Ordinal);
    }
}
