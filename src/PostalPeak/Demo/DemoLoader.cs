using System.Security.Cryptography;
using Dapper;
using Npgsql;
using PostalPeak.Accounts;
using PostalPeak.Audit;
using PostalPeak.Ingestion;

namespace PostalPeak.Demo;

/// <summary>A demo account with the password generated for this run.</summary>
public sealed record DemoAccount(string UserName, string Role, string? CarrierCode, string Password);

/// <summary>How far the loading is: files done of the total, and the one just done.</summary>
public sealed record DemoProgress(int Done, int Total, SampleManifestEntry Entry, string Status);

/// <summary>
/// Fills a database with the sample seasons the way carriers would have: every file stored and processed by
/// the ingestion job's own code, then the indicators computed and the alerts evaluated. Files already
/// stored are skipped, so a second start of the demo loads nothing twice.
/// </summary>
public sealed class DemoLoader(NpgsqlDataSource db, Carriers.Carriers carriers, Users users, UploadStore store, UploadPipeline pipeline,
    Duty.DutyRosters rosters)
{
    public static readonly Actor Actor = new("demo", null, null, null);

    /// <summary>The department's demo address; the carriers' contacts are made up the same way (.example never resolves).</summary>
    public const string DepartmentEmail = "phong.buuchinh@so.thanhhoa.example";

    public static string ContactEmail(string carrierCode) => $"dieuhanh@{carrierCode.ToLowerInvariant()}.example";

    /// <summary>Adds the sample's carriers that are missing and returns their codes, in the file's order.</summary>
    public async Task<IReadOnlyList<string>> EnsureCarriersAsync(string folder)
    {
        var lines = File.ReadLines(Path.Combine(folder, SampleData.CarriersFile)).Skip(1).Where(l => l.Length > 0).ToList();
        var codes = lines.Select(l => l.Split(',')[0]).ToArray();
        // The demo resets its accounts' passwords and adds sample files: never in a database with real carriers.
        await using (var connection = await db.OpenConnectionAsync())
        {
            var others = (await connection.QueryAsync<string>("select code from carrier where code <> all(@codes) order by code",
                new { codes })).AsList();
            if (others.Count > 0)
                throw new Shell.InputException("not_a_demo_database",
                    $"This database holds carriers that are not the demo's ({string.Join(", ", others.Take(5))}); the demo runs only on an empty database or one it loaded itself.");
        }
        foreach (var line in lines)
        {
            var fields = line.Split(',', 2);
            if (await carriers.FindAsync(fields[0]) is null)
                await carriers.AddAsync(fields[0], fields[1], [ContactEmail(fields[0])], null, Actor);
        }
        return codes;
    }

    /// <summary>One account per role, each with a fresh password, so the ones printed are the ones that work.</summary>
    public async Task<IReadOnlyList<DemoAccount>> ResetAccountsAsync(string managerCarrier)
    {
        var accounts = new List<DemoAccount>
        {
            new("admin", Roles.Admin, null, Passwords.Generate()),
            new("analyst", Roles.Analyst, null, Passwords.Generate()),
            new(managerCarrier.ToLowerInvariant(), Roles.CarrierManager, managerCarrier, Passwords.Generate()),
        };
        foreach (var account in accounts)
        {
            if (!await users.SetPasswordAsync(account.UserName, account.Password, Actor))
                await users.AddAsync(account.UserName, account.UserName, null, account.Role, account.CarrierCode, account.Password, Actor);
        }
        return accounts;
    }

    /// <summary>
    /// The sample files arrive as the carriers would have sent them: a day's report the next morning, a correction
    /// that afternoon. Without it every sample day would count as reported late (today), and the overview's
    /// reporting table would say nothing true.
    /// </summary>
    public static async Task DateArrivalAsync(NpgsqlDataSource db, long uploadId, SampleManifestEntry entry, CancellationToken cancellationToken)
    {
        // Carriers send at different times of the morning, all before the 10:00 deadline.
        var localTime = entry.Kind == "correction" ? new TimeOnly(15, 30) : new TimeOnly(7, 30).AddMinutes(7 * (entry.CarrierCode.Sum(c => c) % 12));
        var arrival = new DateTimeOffset(entry.ReportDate.AddDays(1).ToDateTime(localTime), TimeSpan.FromHours(7));
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("update upload set received_at = @arrival where id = @uploadId",
            new { arrival = arrival.UtcDateTime, uploadId }, cancellationToken: cancellationToken));
    }

    /// <summary>The manifest's files not yet stored for their carrier (by content), in upload order.</summary>
    public async Task<IReadOnlyList<SampleManifestEntry>> MissingAsync(string folder, IEnumerable<SampleManifestEntry> entries, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var stored = (await connection.QueryAsync<(string Code, byte[] Sha)>(new CommandDefinition(
                "select c.code, u.sha256 from upload u join carrier c on c.id = u.carrier_id", cancellationToken: cancellationToken)))
            .Select(r => (r.Code, Convert.ToHexString(r.Sha))).ToHashSet();
        var missing = new List<SampleManifestEntry>();
        foreach (var entry in entries)
        {
            var hash = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(folder, entry.File), cancellationToken)));
            if (!stored.Contains((entry.CarrierCode, hash)))
                missing.Add(entry);
        }
        return missing;
    }

    /// <summary>
    /// Stores and processes the files, each carrier's in manifest order and the carriers side by side, then computes
    /// every indicator once and evaluates every carrier's alerts (<see cref="UploadPipeline.RunBulkAsync"/>).
    /// </summary>
    public async Task LoadAsync(string folder, IReadOnlyList<SampleManifestEntry> entries, IProgress<DemoProgress> progress, CancellationToken cancellationToken)
    {
        var done = 0;
        await pipeline.RunBulkAsync(entries.GroupBy(e => e.CarrierCode),
            async (entry, token) =>
            {
                Upload upload;
                await using (var content = File.OpenRead(Path.Combine(folder, entry.File)))
                    upload = await store.ReceiveAsync(content, Path.GetFileName(entry.File), "cli", entry.CarrierCode, Actor, "vi", token);
                await DateArrivalAsync(db, upload.Id, entry, token);
                return upload.Id;
            },
            (entry, status) => progress.Report(new DemoProgress(Interlocked.Increment(ref done), entries.Count, entry, status)),
            cancellationToken);
    }

    /// <summary>
    /// Submits the sample's duty rosters (rosters.csv) through the roster CSV reader, as a carrier uploading its file would;
    /// a file already on record for its carrier is skipped. Returns how many were submitted.
    /// </summary>
    public async Task<int> LoadRostersAsync(string folder, CancellationToken cancellationToken)
    {
        var list = Path.Combine(folder, Demo.SampleRosters.ListFile);
        if (!File.Exists(list))
            return 0;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var submitted = 0;
        foreach (var fields in File.ReadLines(list).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')))
        {
            var content = await File.ReadAllBytesAsync(Path.Combine(folder, fields[0]), cancellationToken);
            var known = await connection.ExecuteScalarAsync<bool>(new CommandDefinition("""
                select exists (select 1 from duty_roster_upload u join carrier c on c.id = u.carrier_id
                               where c.code = @code and u.sha256 = @hash and u.status = 'accepted')
                """, new { code = fields[1], hash = SHA256.HashData(content) }, cancellationToken: cancellationToken));
            if (known)
                continue;
            // The carriers send their rosters through the API, as their back offices would.
            var result = await rosters.SubmitAsync(content, Path.GetFileName(fields[0]), "api", fields[1], Actor, cancellationToken);
            if (result.Status != "accepted")
                throw new Shell.InputException("sample_roster_rejected",
                    $"The sample roster {fields[0]} was rejected ({string.Join(", ", result.Issues.Select(i => $"line {i.Line}: {i.Code}"))}); run the sample-data command again.");
            submitted++;
        }
        return submitted;
    }
}
