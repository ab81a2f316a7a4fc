using Hangfire;
using PostalPeak.Calendar;
using PostalPeak.Indicators;
using PostalPeak.Ingestion;

namespace PostalPeak.Demo;

/// <summary>
/// Feeds a season's sample files one report day at a time, through the same queue as an API upload
/// (processing, then the indicator refresh, then the alert evaluation), so that an analyst watching the
/// dashboard sees the backlog build and the alerts fire as they would have.
/// </summary>
public sealed class DemoReplay(UploadStore store, UploadPipeline pipeline, Npgsql.NpgsqlDataSource db)
{
    public async Task RunAsync(string folder, IReadOnlyList<SampleManifestEntry> entries, TimeSpan interval, TextWriter output, CancellationToken cancellationToken)
    {
        var days = entries.GroupBy(e => e.ReportDate).ToList();
        for (var i = 0; i < days.Count; i++)
        {
            // The day's files arrive spread over the interval, a carrier at a time, as on a real morning: the overview
            // shows the day as arriving until its reports are in, and only then as the headline.
            var files = days[i].ToList();
            var gap = interval / files.Count;
            for (var j = 0; j < files.Count; j++)
            {
                var entry = files[j];
                await using (var content = File.OpenRead(Path.Combine(folder, entry.File)))
                {
                    var upload = await store.ReceiveAsync(content, Path.GetFileName(entry.File), "api", entry.CarrierCode, DemoLoader.Actor, "vi", cancellationToken);
                    await DemoLoader.DateArrivalAsync(db, upload.Id, entry, cancellationToken);
                    await pipeline.QueueAsync(upload.Id, cancellationToken);
                }
                if (j < files.Count - 1)
                    await Task.Delay(gap, cancellationToken);
            }
            var lunar = VietnameseNames.TetLabel(LunarCalendar.ToLunar(days[i].Key));
            await output.WriteLineAsync($"Replay {i + 1}/{days.Count}: {days[i].Key:dd/MM/yyyy} ({lunar}), {files.Count} file(s) queued");
            if (i < days.Count - 1)
                await Task.Delay(gap, cancellationToken);
        }
        await output.WriteLineAsync("Replay finished: the whole season is in.");
    }
}
