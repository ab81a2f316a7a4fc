using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using PostalPeak.Audit;
using PostalPeak.Ingestion;
using PostalPeak.Jobs;

namespace PostalPeak.Benchmarks;

/// <summary>One file of N rows through the real store-and-process path, against psql's `\copy` of the same rows.</summary>
internal static class IngestionBenchmark
{
    public static async Task RunAsync(int rows)
    {
        await using var bench = await BenchDatabase.StartAsync();
        var (cluster, db, work) = (bench.Cluster, bench.Db, bench.Work);
        // Every commune of the country, so that a million distinct (unit, day) rows exist after the 2025 reform.
        var communes = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "reference", "vn-communes-2025.csv")).Skip(1)
            .Select(line => line.Split(',')[0]).ToArray();
        await using (var connection = await db.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("""
                insert into admin_unit (code, name, level, province_code, valid_from)
                select code, 'commune ' || code, 'commune', '00', date '2025-07-01' from unnest(@communes) as code
                on conflict do nothing
                """, new { communes });
            await connection.ExecuteAsync("insert into carrier (code, name) values ('BENCH', 'Benchmark carrier')");
        }

        var file = Path.Combine(work, "report.csv");
        await using (var writer = new StreamWriter(file))
        {
            await writer.WriteLineAsync("report_date,unit_code,received,delivered,returned,lost,backlog,complaints_received,complaints_resolved");
            var random = new Random(42);
            for (var i = 0; i < rows; i++)
            {
                var day = new DateOnly(2025, 7, 1).AddDays(i / communes.Length);
                var received = random.Next(50, 5000);
                await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{day:yyyy-MM-dd},{communes[i % communes.Length]},{received},{received - random.Next(0, 50)},{random.Next(0, 9)},{random.Next(0, 2)},{random.Next(0, 900)},{random.Next(0, 4)},{random.Next(0, 4)}"));
            }
        }
        var size = new FileInfo(file).Length;
        Console.WriteLine($"{rows:N0} rows, {size / 1024.0 / 1024.0:N1} MiB, {communes.Length:N0} communes");

        var ingestion = Options.Create(new IngestionOptions { MaxUploadBytes = 2L * 1024 * 1024 * 1024 });
        var store = new UploadStore(db, ingestion);
        var processor = new UploadProcessor(db, TimeProvider.System, Options.Create(new JobsOptions()), ingestion, LoggerFactory.Create(b => b.AddSimpleConsole()).CreateLogger<UploadProcessor>());
        GC.Collect();
        var baseline = Environment.WorkingSet;
        var clock = Stopwatch.StartNew();
        Upload upload;
        await using (var content = File.OpenRead(file))
            upload = await store.ReceiveAsync(content, "report.csv", "cli", "BENCH", Actor.CommandLine(), "en", CancellationToken.None);
        var stored = clock.Elapsed;
        var status = await processor.ProcessAsync(upload.Id, CancellationToken.None);
        var total = clock.Elapsed;
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine($"PostalPeak: {status}; store {stored.TotalSeconds:N1} s, parse+check+copy+upsert {(total - stored).TotalSeconds:N1} s, total {total.TotalSeconds:N1} s");
        Console.WriteLine($"  working set before {baseline / 1048576.0:N0} MiB, peak {self.PeakWorkingSet64 / 1048576.0:N0} MiB");

        // The limit: psql's \copy of the same file into a table of the same columns.
        var builder = new NpgsqlConnectionStringBuilder(cluster.ConnectionString);
        await using (var connection = await db.OpenConnectionAsync())
            await connection.ExecuteAsync("""
                create table copy_target (report_date date, unit_code text, received bigint, delivered bigint, returned bigint, lost bigint,
                                          backlog bigint, complaints_received bigint, complaints_resolved bigint)
                """);
        var psql = new ProcessStartInfo("psql") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-h", builder.Host!, "-p", builder.Port.ToString(CultureInfo.InvariantCulture), "-U", builder.Username!, "-d", builder.Database!,
                     "-c", $"\\copy copy_target from '{file}' with (format csv, header true)" })
            psql.ArgumentList.Add(argument);
        psql.Environment["PGPASSWORD"] = builder.Password;
        clock.Restart();
        using (var process = Process.Start(psql)!)
        {
            var output = await process.StandardOutput.ReadToEndAsync();
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Console.WriteLine($"psql \\copy: {clock.Elapsed.TotalSeconds:N1} s ({output.Trim()}{error.Trim()})");
        }
    }
}
