using System.Globalization;
using System.Text;
using Dapper;

namespace PostalPeak.Tests.Demo;

/// <summary>`demo --replay` on a small sample of its own: earlier seasons loaded at once, the latest fed a day at a time through the job queue.</summary>
public sealed class DemoReplayTests
{
    private sealed record Replayed(long Id, DateOnly ReportDate, string Channel, DateTime ReceivedAt, DateTime? FiguresUpdatedAt);

    [Fact]
    public async Task TheLatestSeasonIsFedOneDayAtATimeAndItsAlertsFireAndAreMailed()
    {
        var folder = WriteSample();
        try
        {
            await using var database = await TestApp.StartAsync();
            await using var demo = await ServedApp.StartAsync(new Dictionary<string, string>
            {
                ["ConnectionStrings__PostalPeak"] = database.ConnectionString,
                ["Demo__SampleDirectory"] = folder,
            }, ["demo", "--replay", "--replay-seconds", "1"], TimeSpan.FromMinutes(3));

            List<Replayed> uploads = [];
            for (var attempt = 0; attempt < 600 && !(uploads.Count == 5 && uploads.All(u => u.FiguresUpdatedAt is not null)); attempt++)
            {
                await Task.Delay(100);
                await using var connection = await database.Db.OpenConnectionAsync();
                uploads = (await connection.QueryAsync<Replayed>("""
                    select u.id, min(r.report_date) as report_date, u.channel, u.received_at, u.figures_updated_at
                    from upload u join daily_report r on r.upload_id = u.id
                    group by u.id order by u.id
                    """)).AsList();
            }
            // The alert's evaluation is the last job of the third day's chain; its messages are delivered after it.
            long alerts = 0, mails = 0;
            var subjects = "";
            for (var attempt = 0; attempt < 300 && mails < 2; attempt++)
            {
                await Task.Delay(100);
                await using var connection = await database.Db.OpenConnectionAsync();
                alerts = await connection.QuerySingleAsync<long>("""
                    select count(*) from alert a join alert_rule r on r.id = a.rule_id where r.code = 'throughput_low' and a.state = 'firing'
                    """);
                mails = await connection.QuerySingleAsync<long>("select count(*) from local_mail");
                subjects = string.Join(" / ", await connection.QueryAsync<string>("select recipient || ': ' || subject from local_mail order by id"));
            }

            Assert.Equal(["cli", "cli", "api", "api", "api"], uploads.Select(u => u.Channel));
            Assert.All(uploads, u => Assert.NotNull(u.FiguresUpdatedAt));
            var replayed = uploads.Where(u => u.Channel == "api").ToList();
            Assert.Equal([new DateOnly(2026, 1, 20), new DateOnly(2026, 1, 21), new DateOnly(2026, 1, 22)], replayed.Select(u => u.ReportDate));
            // A day at a time: the audit log holds when each file was really stored.
            Dictionary<long, DateTime> stored;
            await using (var connection = await database.Db.OpenConnectionAsync())
            {
                stored = (await connection.QueryAsync<(string Id, DateTime At)>("select target_id, at from audit_log where action = 'upload.receive'"))
                    .ToDictionary(r => long.Parse(r.Id, CultureInfo.InvariantCulture), r => r.At);
            }
            Assert.All(replayed.Zip(replayed.Skip(1)), pair => Assert.True(stored[pair.Second.Id] - stored[pair.First.Id] >= TimeSpan.FromSeconds(1),
                $"{pair.Second.ReportDate} was stored {(stored[pair.Second.Id] - stored[pair.First.Id]).TotalMilliseconds} ms after {pair.First.ReportDate}"));
            // Each file is dated as if sent the next morning, before the reporting deadline.
            Assert.All(uploads, u => Assert.Equal(u.ReportDate.AddDays(1).ToDateTime(new TimeOnly(0, 0)),
                TimeZoneInfo.ConvertTimeFromUtc(u.ReceivedAt, TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh")).Date));
            Assert.Equal(1, alerts);
            Assert.True(mails == 2, subjects); // the carrier's contact and the department's demo address
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>One carrier: two days of the 2025 season, and three days of 2026 delivering half of what it receives.</summary>
    private static string WriteSample()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"pp-demo-sample-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "carriers.csv"), "code,name\nALPHA,Bưu chính Alpha\n", Encoding.UTF8);
        var manifest = new StringBuilder("file,carrier_code,season,report_date,kind,incident\n");
        void Day(int season, DateOnly day, string unit, int received, int delivered, int backlog)
        {
            var file = $"{season}/ALPHA/{day:yyyy-MM-dd}.csv";
            Directory.CreateDirectory(Path.Combine(folder, season.ToString(CultureInfo.InvariantCulture), "ALPHA"));
            File.WriteAllText(Path.Combine(folder, file),
                $"report_date,unit_code,received,delivered,backlog\n{day:yyyy-MM-dd},{unit},{received},{delivered},{backlog}\n", Encoding.UTF8);
            manifest.Append(CultureInfo.InvariantCulture, $"{file},ALPHA,{season},{day:yyyy-MM-dd},daily,\n");
        }
        Day(2025, new DateOnly(2025, 1, 10), "380", 1000, 1000, 100);
        Day(2025, new DateOnly(2025, 1, 11), "380", 1000, 1000, 100);
        Day(2026, new DateOnly(2026, 1, 20), "14758", 1000, 500, 600);
        Day(2026, new DateOnly(2026, 1, 21), "14758", 1000, 500, 1100);
        Day(2026, new DateOnly(2026, 1, 22), "14758", 1000, 500, 1600);
        File.WriteAllText(Path.Combine(folder, "manifest.csv"), manifest.ToString(), Encoding.UTF8);
        return folder;
    }
}
