using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dapper;
using PostalPeak.Audit;
using PostalPeak.Indicators;
using PostalPeak.Ingestion;

namespace PostalPeak.Benchmarks;

/// <summary>
/// National scale: every commune of the country × N carriers × the 46 days of the 2026 season, written
/// straight into daily_report; then a full recompute, the incremental refresh after one province's daily
/// file (a new day, and a correction of the season's first day), and the roll-ups the API serves.
/// </summary>
internal static class IndicatorBenchmark
{
    private static readonly DateOnly SeasonStart = new(2026, 1, 18);
    private const int SeasonDays = 46;

    public static async Task RunAsync(int carriers)
    {
        await using var bench = await BenchDatabase.StartAsync();
        var db = bench.Db;
        var communes = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "reference", "vn-communes-2025.csv")).Skip(1)
            .Select(line => line.Split(',')).Select(f => (Code: f[0], Province: f[2])).ToArray();
        var clock = Stopwatch.StartNew();
        await using (var connection = await db.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("""
                insert into admin_unit (code, name, level, province_code, valid_from)
                select code, 'commune ' || code, 'commune', province, date '2025-07-01' from unnest(@codes, @provinces) as u (code, province)
                on conflict do nothing
                """, new { codes = communes.Select(c => c.Code).ToArray(), provinces = communes.Select(c => c.Province).ToArray() });
            await connection.ExecuteAsync("""
                insert into carrier (code, name) select 'BENCH' || lpad(n::text, 2, '0'), 'Benchmark carrier ' || n from generate_series(1, @carriers) n;
                insert into upload (carrier_id, channel, original_name, size_bytes, sha256, content, actor, status)
                select id, 'cli', 'generated', 0, sha256(code::bytea), '', 'benchmark', 'accepted' from carrier;
                select setseed(0.42);
                -- Counted stock one day in seven; the flows carry the rest. Figures vary by commune and day.
                insert into daily_report (carrier_id, unit_code, report_date, received, delivered, returned, lost, damaged, backlog,
                                          complaints_received, complaints_resolved, staff_on_duty, upload_id, line)
                select c.id, u.code, d::date, r.received, (r.received * (0.85 + random() * 0.2))::bigint, (random() * 8)::bigint,
                       (random() * 1.2)::bigint, (random() * 1.1)::bigint,
                       case when (d::date - @start) % 7 = 0 then (random() * 900)::bigint end,
                       (random() * 4)::bigint, (random() * 4)::bigint, 5, up.id, 0
                from carrier c
                join upload up on up.carrier_id = c.id
                cross join admin_unit u
                cross join generate_series(@start::date, @start::date + @days - 1, interval '1 day') d
                cross join lateral (select (50 + random() * 3000)::bigint as received) r
                where u.level = 'commune';
                analyze daily_report;
                """, new { carriers, start = SeasonStart, days = SeasonDays }, commandTimeout: 0);
        }
        var rows = await ScalarAsync(db, "select count(*) from daily_report");
        Console.WriteLine($"{rows:N0} report rows ({communes.Length:N0} communes × {carriers} carriers × {SeasonDays} days) loaded in {clock.Elapsed.TotalSeconds:N1} s");

        var refresh = bench.Get<IndicatorRefresh>();
        clock.Restart();
        var full = await refresh.RecomputeAllAsync(CancellationToken.None);
        var fullTime = clock.Elapsed;
        Console.WriteLine($"Full recompute: {full.Sum(r => r.Rows):N0} indicator rows in {fullTime.TotalSeconds:N1} s "
            + $"({full.Sum(r => r.Rows) / fullTime.TotalSeconds:N0} rows/s; slowest carrier {full.Max(r => r.Elapsed.TotalSeconds):N1} s)");
        clock.Restart();
        await refresh.RecomputeAllAsync(CancellationToken.None);
        Console.WriteLine($"Full recompute again (replacing existing rows): {clock.Elapsed.TotalSeconds:N1} s");

        // Alert evaluation of every carrier over the whole season (the default rules), then again (nothing changes).
        var evaluator = bench.Get<Alerts.AlertEvaluator>();
        foreach (var pass in new[] { "first", "repeat" })
        {
            clock.Restart();
            var evaluated = await evaluator.EvaluateAllAsync(CancellationToken.None);
            Console.WriteLine($"Alert evaluation, {pass} pass: {evaluated.Count} carriers in {clock.Elapsed.TotalSeconds:N1} s "
                + $"(slowest {evaluated.Max(r => r.Elapsed.TotalSeconds):N2} s; {evaluated.Sum(r => r.Opened)} alerts opened, {evaluated.Sum(r => r.Fired)} fired)");
        }

        // One province's daily file from one carrier, through the real ingestion path.
        var province = communes.Where(c => c.Province == "38").Select(c => c.Code).ToArray();
        var store = bench.Get<UploadStore>();
        var processor = bench.Get<UploadProcessor>();
        foreach (var (label, day) in new[] { ("new day after the season", SeasonStart.AddDays(SeasonDays)), ("correction of the season's first day", SeasonStart) })
        {
            var csv = new StringBuilder("report_date,unit_code,received,delivered,returned,lost,backlog\n");
            var random = new Random(day.DayNumber);
            foreach (var code in province)
                csv.Append(CultureInfo.InvariantCulture, $"{day:yyyy-MM-dd},{code},{random.Next(50, 3000)},{random.Next(40, 2500)},{random.Next(0, 8)},0,{random.Next(0, 900)}\n");
            clock.Restart();
            var upload = await store.ReceiveAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())), "province.csv", "cli", "BENCH01", Actor.CommandLine(), "en", CancellationToken.None);
            var status = await processor.ProcessAsync(upload.Id, CancellationToken.None);
            var processed = clock.Elapsed;
            var result = await refresh.RefreshAfterUploadAsync(upload.Id, CancellationToken.None);
            var evaluation = await evaluator.EvaluateAfterUploadAsync(upload.Id, CancellationToken.None);
            Console.WriteLine($"Province file ({province.Length} rows, {label}): {status}, ingestion {processed.TotalMilliseconds:N0} ms, "
                + $"indicator refresh {result?.Elapsed.TotalMilliseconds:N0} ms ({result?.Rows:N0} rows of {result?.Units} series from {result?.From:yyyy-MM-dd}), "
                + $"alert evaluation of the carrier {evaluation?.Elapsed.TotalMilliseconds:N0} ms");
        }

        var query = new IndicatorQuery(db, Microsoft.Extensions.Options.Options.Create(new IndicatorsOptions()));
        foreach (var (groupBy, by, carrier) in new[] { ("day", "province", (string?)null), ("phase", "carrier", null), ("day", "unit", "BENCH01"), ("tet_offset", "carrier", null) })
        {
            clock.Restart();
            var result = await query.RollUpAsync(new IndicatorFilter([2026], carrier, null, null, null, groupBy, by), CancellationToken.None);
            Console.WriteLine($"Roll-up groupBy={groupBy} by={by}{(carrier is null ? "" : " carrier=" + carrier)}: {result.Count:N0} rows in {clock.Elapsed.TotalMilliseconds:N0} ms");
        }
        Console.WriteLine($"Database size: {await ScalarAsync(db, "select pg_database_size(current_database()) / 1048576") :N0} MiB");
        if (Environment.GetEnvironmentVariable("POSTALPEAK_BENCH_KEEP") == "1")
        {
            // For looking at query plans by hand: the cluster stays up until Enter.
            Console.WriteLine($"Keeping the database: {bench.Cluster.ConnectionString}");
            Console.ReadLine();
        }
    }

    private static async Task<long> ScalarAsync(Npgsql.NpgsqlDataSource db, string sql)
    {
        await using var connection = await db.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }
}
