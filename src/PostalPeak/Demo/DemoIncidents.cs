using System.Globalization;
using System.Security.Claims;
using Dapper;
using Npgsql;
using PostalPeak.Accounts;
using PostalPeak.Audit;
using PostalPeak.Incidents;

namespace PostalPeak.Demo;

/// <summary>
/// The scripted incidents that a carrier would have reported at once (a flooded warehouse at HOATOC, prohibited goods
/// at LAMSON), recorded through <see cref="IncidentStore"/> like real reports, so the department's notice goes through the
/// outbox, and each followed by its timeline. The days and units come from the sample's manifest, so another seed's
/// sample gets its incidents on its own units. Every step is dated back to the season day it tells of; a second start
/// finds the incident and its steps and does nothing twice.
/// </summary>
public sealed class DemoIncidents(NpgsqlDataSource db, IncidentStore incidents)
{
    private static readonly TimeSpan Vietnam = TimeSpan.FromHours(7);

    /// <summary>One entry of the timeline: days after the start, Vietnam time, who writes, the state it moves to (if any), the words.</summary>
    private sealed record Step(int Day, TimeOnly At, bool Department, string? State, string Text);

    private sealed record Script(string Key, string CarrierCode, string Type, string Severity, TimeOnly StartedAt, TimeOnly ReportedAt,
        int ParcelsAffected, Func<string, string> Description, string Actions, string Contact, IReadOnlyList<Step> Steps);

    private static string Contact(string who, string carrierCode) => $"{who}, {DemoLoader.ContactEmail(carrierCode)}";

    private static readonly Script[] Scripts =
    [
        new("flooded_warehouse", "HOATOC", "weather", "critical", new(4, 30), new(6, 10), 1500,
            place => $"Ngập kho {place}: mưa lớn kéo dài từ đêm, nước tràn vào kho khai thác, sâu 40–60 cm. Hàng trên pallet thấp bị ngấm nước; "
                + "xe không vào được kho, khai thác và phát tại đơn vị gần như dừng.",
            "Chuyển hàng lên kệ cao và sang kho tạm; huy động thêm 2 xe tải; ưu tiên phát hàng dễ hỏng; thông báo chậm phát cho khách hàng qua tổng đài.",
            Contact("Phòng Điều hành Hỏa Tốc Bắc Trung Bộ", "HOATOC"),
            [
                new(0, new(7, 5), true, "acknowledged", "Sở đã tiếp nhận. Đề nghị bảo đảm an toàn cho người lao động, báo cáo lượng hàng bị ảnh hưởng và thời gian dự kiến khôi phục."),
                new(1, new(16, 30), false, "handling", "Kho tạm đã hoạt động; khai thác đạt khoảng 20% công suất, 2 xe tải tăng cường đang phát các tuyến gần."),
                new(3, new(18, 0), false, null, "Nước đã rút, kho hoạt động trở lại từ sáng mai; dự kiến giải tỏa hàng tồn trong 5–7 ngày."),
            ]),
        new("prohibited_goods", "LAMSON", "prohibited_goods", "warning", new(8, 40), new(9, 25), 3,
            place => $"Qua máy soi tại bưu cục {place}, nhân viên khai thác phát hiện 03 bưu gửi của cùng một người gửi có dấu hiệu chứa pháo nổ (khoảng 5 kg).",
            "Tạm giữ bưu gửi, lập biên bản, báo Công an phường; rà soát các bưu gửi khác của người gửi này.",
            Contact("Trưởng ca khai thác Chuyển phát Lam Sơn", "LAMSON"),
            [
                new(0, new(10, 5), true, "acknowledged", "Sở đã tiếp nhận; đề nghị phối hợp với Công an và báo cáo kết quả xử lý."),
                new(0, new(15, 30), false, "handling", "Đã bàn giao 03 bưu gửi cho Công an phường theo biên bản; các bưu gửi khác của khách hàng vẫn phát bình thường."),
            ]),
    ];

    /// <summary>Records the incidents of the latest season in the manifest, and the steps of their timelines not yet recorded.</summary>
    public async Task<int> RecordAsync(IReadOnlyList<SampleManifestEntry> manifest, CancellationToken cancellationToken)
    {
        var latest = manifest.Max(e => e.Season);
        var steps = 0;
        foreach (var script in Scripts)
        {
            // "backlog_spiral: 15448 15853; flooded_warehouse: 16000": the days and units the incident shaped.
            var days = manifest.Where(e => e.Season == latest && e.CarrierCode == script.CarrierCode)
                .Select(e => (e.ReportDate, Units: e.Incident.Split("; ").Where(p => p.StartsWith(script.Key + ": ", StringComparison.Ordinal))
                    .SelectMany(p => p[(script.Key.Length + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList()))
                .Where(d => d.Units.Count > 0).OrderBy(d => d.ReportDate).ToList();
            if (days.Count == 0)
                continue;
            steps += await RecordAsync(script, days[0].ReportDate, days.SelectMany(d => d.Units).Distinct().Order(StringComparer.Ordinal).ToArray(),
                cancellationToken);
        }
        return steps;
    }

    private async Task<int> RecordAsync(Script script, DateOnly day, string[] units, CancellationToken cancellationToken)
    {
        DateTimeOffset When(int days, TimeOnly at) => new(day.AddDays(days).ToDateTime(at), Vietnam);
        var started = When(0, script.StartedAt);
        var startedAt = started.UtcDateTime;
        var carrier = new Actor(script.CarrierCode.ToLowerInvariant(), null, null, null);
        var department = new Actor("analyst", null, null, null);
        var carrierScope = CarrierScope.Of(Principal(Roles.CarrierManager, script.CarrierCode));
        var departmentScope = CarrierScope.Of(Principal(Roles.Analyst, null));

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var existing = await connection.QuerySingleOrDefaultAsync<(long Id, int Updates)?>(new CommandDefinition("""
            select i.id, (select count(*)::int from incident_update u where u.incident_id = i.id)
            from incident i join carrier c on c.id = i.carrier_id
            where c.code = @CarrierCode and i.type = @Type and i.started_at = @startedAt
            order by i.id limit 1
            """, new { script.CarrierCode, script.Type, startedAt }, cancellationToken: cancellationToken));
        var written = 0;
        long id;
        if (existing is { } found)
            id = found.Id;
        else
        {
            var names = (await connection.QueryAsync<string>(new CommandDefinition("""
                select distinct on (code) name from admin_unit where code = any(@units) and valid_from <= @day and (valid_to is null or valid_to >= @day)
                order by code
                """, new { units, day }, cancellationToken: cancellationToken))).ToList();
            var place = string.Join(", ", names.Select(n => n.Replace("Phường ", "", StringComparison.Ordinal).Replace("Xã ", "", StringComparison.Ordinal)));
            var input = new IncidentInput(script.Type, script.Severity, started.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), units,
                script.ParcelsAffected, script.Description(place.Length > 0 ? place : string.Join(", ", units)), script.Actions, script.Contact);
            id = (await incidents.ReportAsync(script.CarrierCode, input, [], carrier, cancellationToken)).Id;
            var reportedAt = When(0, script.ReportedAt).UtcDateTime;
            await connection.ExecuteAsync(new CommandDefinition("update incident set reported_at = @reportedAt, updated_at = @reportedAt where id = @id",
                new { reportedAt, id }, cancellationToken: cancellationToken));
            written++;
        }

        foreach (var step in script.Steps.Skip(existing?.Updates ?? 0))
        {
            var (actor, scope) = step.Department ? (department, departmentScope) : (carrier, carrierScope);
            if (step.State is { } state)
                await incidents.ChangeStateAsync(id, scope, state, step.Text, actor, cancellationToken);
            else
                await incidents.AddUpdateAsync(id, scope, step.Text, null, actor, cancellationToken);
            // Dated back to the day it tells of, as the sample's uploads are (DemoLoader.DateArrivalAsync).
            await connection.ExecuteAsync(new CommandDefinition("""
                update incident_update set at = @at where id = (select max(id) from incident_update where incident_id = @id);
                update incident set updated_at = @at,
                    acknowledged_at = case when @State = 'acknowledged' then @at else acknowledged_at end,
                    resolved_at = case when @State = 'resolved' then @at else resolved_at end
                where id = @id;
                """, new { at = When(step.Day, step.At).UtcDateTime, id, step.State }, cancellationToken: cancellationToken));
            written++;
        }
        return written;
    }

    private static ClaimsPrincipal Principal(string role, string? carrierCode)
    {
        var claims = new List<Claim> { new(ClaimTypes.Role, role) };
        if (carrierCode is not null)
            claims.Add(new Claim(PostalPeakClaims.Carrier, carrierCode));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "demo"));
    }
}
