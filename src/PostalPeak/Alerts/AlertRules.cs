using System.Text.RegularExpressions;
using Dapper;
using Npgsql;
using PostalPeak.Audit;
using PostalPeak.Indicators;
using PostalPeak.Shell;

namespace PostalPeak.Alerts;

/// <summary>A rule's behaviour in one phase of every season: muted, or another threshold.</summary>
public sealed record PhaseOverride(string Phase, bool Muted, double? Threshold);

/// <summary>An alert rule as data (design section 6). Init properties, as <see cref="Carriers.Carrier"/>: how Dapper reads a text[] column.</summary>
public sealed record AlertRule
{
    public int Id { get; init; }
    public string Code { get; init; } = "";
    public string NameVi { get; init; } = "";
    public string NameEn { get; init; } = "";
    public string Metric { get; init; } = "";
    public string Comparison { get; init; } = ">";
    public double Threshold { get; init; }
    /// <summary>Null: every carrier.</summary>
    public string? CarrierCode { get; init; }
    /// <summary>Null: every unit.</summary>
    public string[]? UnitCodes { get; init; }
    public int ForDays { get; init; } = 1;
    public int KeepFiringForDays { get; init; }
    /// <summary>For a rate: the smallest denominator (parcels) a day needs to be judged at all. Null: any.</summary>
    public long? MinBase { get; init; }
    public string Severity { get; init; } = "warning";
    public string[] Channels { get; init; } = ["email", "webhook"];
    public bool Enabled { get; init; } = true;
    public string Reason { get; init; } = "";
    public IReadOnlyList<PhaseOverride> Phases { get; init; } = [];
    public DateTime UpdatedAt { get; init; }
    public string UpdatedBy { get; init; } = "";

    /// <summary>The threshold in force in a phase, or null when the rule is muted there.</summary>
    public double? ThresholdIn(string? phase)
    {
        var phaseOverride = phase is null ? null : Phases.FirstOrDefault(p => p.Phase == phase);
        return phaseOverride is null ? Threshold : phaseOverride.Muted ? null : phaseOverride.Threshold;
    }

    public bool Covers(string carrierCode, string unitCode) =>
        (CarrierCode is null || CarrierCode == carrierCode) && (UnitCodes is null || unitCode.Length == 0 || UnitCodes.Contains(unitCode));
}

/// <summary>The rules, edited by administrators; every change is audited and queues a re-evaluation.</summary>
public sealed partial class AlertRules(NpgsqlDataSource db)
{
    public static readonly string[] Comparisons = [">", ">=", "<", "<="];
    public static readonly string[] Severities = ["info", "warning", "critical"];
    public static readonly string[] ChannelNames = ["email", "webhook"];

    private const string Select = """
        select r.id, r.code, r.name_vi, r.name_en, r.metric, r.comparison, r.threshold, c.code as carrier_code, r.unit_codes,
               r.for_days, r.keep_firing_for_days, r.min_base, r.severity, r.channels, r.enabled, r.reason, r.updated_at, r.updated_by
        from alert_rule r left join carrier c on c.id = r.carrier_id
        """;

    /// <summary>
    /// A carrier's rule, with its reason, is that carrier's business: a reader scoped to a carrier
    /// (<c>ClaimsPrincipal.CarrierScope</c>) sees the general rules and its own carrier's; null sees every rule.
    /// </summary>
    private const string Visible = " where (@visibleTo::text is null or r.carrier_id is null or c.code = @visibleTo)";

    public async Task<IReadOnlyList<AlertRule>> ListAsync(string? visibleTo, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await LoadAsync(connection, null, Select + Visible + " order by r.id", new { visibleTo }, cancellationToken);
    }

    /// <summary>A rule the reader may not see is answered exactly as a missing one.</summary>
    public async Task<AlertRule> GetAsync(int id, string? visibleTo, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return (await LoadAsync(connection, null, Select + Visible + " and r.id = @id", new { id, visibleTo }, cancellationToken)).SingleOrDefault()
            ?? throw InputException.NotFound("alert rule", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<IReadOnlyList<AlertRule>> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, object? parameters,
        CancellationToken cancellationToken)
    {
        var rules = (await connection.QueryAsync<AlertRule>(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken))).AsList();
        var phases = (await connection.QueryAsync<(int RuleId, string Phase, bool Muted, double? Threshold)>(new CommandDefinition(
            "select rule_id, phase, muted, threshold from alert_rule_phase order by rule_id, phase", transaction: transaction, cancellationToken: cancellationToken)))
            .ToLookup(p => p.RuleId, p => new PhaseOverride(p.Phase, p.Muted, p.Threshold));
        return rules.Select(r => r with { Phases = phases[r.Id].ToList() }).ToList();
    }

    public static async Task<IReadOnlyList<AlertRule>> LoadEnabledAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        await LoadAsync(connection, transaction, Select + " where r.enabled order by r.id", null, cancellationToken);

    /// <summary>Creates a rule (<paramref name="id"/> null) or replaces one.</summary>
    public async Task<AlertRule> SaveAsync(int? id, AlertRule rule, Actor actor)
    {
        var checkedRule = Check(rule);
        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        int? carrierId = null;
        if (checkedRule.CarrierCode is { } carrierCode)
            carrierId = await connection.QuerySingleOrDefaultAsync<int?>("select id from carrier where code = @carrierCode", new { carrierCode }, transaction)
                ?? throw new InputException("unknown_carrier", $"No carrier '{carrierCode}'.");
        if (checkedRule.Phases.Count > 0)
        {
            // A misspelt phase would match no day and quietly leave the rule at its usual threshold.
            var knownPhases = (await connection.QueryAsync<string>("select distinct code from season_phase order by code", transaction: transaction)).AsList();
            if (checkedRule.Phases.FirstOrDefault(p => !knownPhases.Contains(p.Phase)) is { } unknownPhase)
            {
                var known = knownPhases.Count == 0 ? "none" : string.Join(", ", knownPhases);
                throw new InputException("unknown_phase", $"No season has a phase '{unknownPhase.Phase}'. The phases there are: {known}.")
                {
                    Args = [unknownPhase.Phase, knownPhases.Count == 0 ? "—" : string.Join(", ", knownPhases)],
                };
            }
        }
        if (checkedRule.UnitCodes is { } units)
        {
            var known = (await connection.QueryAsync<string>("select distinct code from admin_unit where code = any(@units)", new { units }, transaction)).ToHashSet();
            if (units.FirstOrDefault(u => !known.Contains(u)) is { } unknown)
                throw new InputException("unknown_unit", $"No administrative unit '{unknown}'.") { Args = [unknown] };
        }
        var parameters = new
        {
            id, checkedRule.Code, checkedRule.NameVi, checkedRule.NameEn, checkedRule.Metric, checkedRule.Comparison, checkedRule.Threshold, carrierId,
            checkedRule.UnitCodes, checkedRule.ForDays, checkedRule.KeepFiringForDays, checkedRule.MinBase, checkedRule.Severity, checkedRule.Channels, checkedRule.Enabled,
            checkedRule.Reason, updatedBy = actor.Name,
        };
        int savedId;
        try
        {
            savedId = id is null
                ? await connection.QuerySingleAsync<int>("""
                    insert into alert_rule (code, name_vi, name_en, metric, comparison, threshold, carrier_id, unit_codes, for_days,
                        keep_firing_for_days, min_base, severity, channels, enabled, reason, updated_by)
                    values (@Code, @NameVi, @NameEn, @Metric, @Comparison, @Threshold, @carrierId, @UnitCodes, @ForDays,
                        @KeepFiringForDays, @MinBase, @Severity, @Channels, @Enabled, @Reason, @updatedBy)
                    returning id
                    """, parameters, transaction)
                : await connection.QuerySingleOrDefaultAsync<int?>("""
                    update alert_rule set code = @Code, name_vi = @NameVi, name_en = @NameEn, metric = @Metric, comparison = @Comparison,
                        threshold = @Threshold, carrier_id = @carrierId, unit_codes = @UnitCodes, for_days = @ForDays,
                        keep_firing_for_days = @KeepFiringForDays, min_base = @MinBase, severity = @Severity, channels = @Channels, enabled = @Enabled,
                        reason = @Reason, updated_by = @updatedBy, updated_at = now()
                    where id = @id
                    returning id
                    """, parameters, transaction)
                  ?? throw InputException.NotFound("alert rule", id.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new InputException("rule_exists", $"A rule with code '{checkedRule.Code}' exists already.", StatusCodes.Status409Conflict) { Args = [checkedRule.Code] };
        }
        await connection.ExecuteAsync("delete from alert_rule_phase where rule_id = @savedId", new { savedId }, transaction);
        await connection.ExecuteAsync("insert into alert_rule_phase (rule_id, phase, muted, threshold) values (@savedId, @Phase, @Muted, @Threshold)",
            checkedRule.Phases.Select(p => new { savedId, p.Phase, p.Muted, p.Threshold }), transaction);
        await AuditLog.WriteAsync(connection, transaction, actor, id is null ? "alert_rule.create" : "alert_rule.update", "alert_rule",
            savedId.ToString(System.Globalization.CultureInfo.InvariantCulture), carrierId, checkedRule with { Id = savedId });
        await transaction.CommitAsync();
        return await GetAsync(savedId, null);
    }

    private static AlertRule Check(AlertRule rule)
    {
        var code = rule.Code.Trim();
        if (!CodePattern().IsMatch(code))
            throw new InputException("invalid_rule_code", "A rule code is 2 to 41 lower-case letters, digits or '_', starting with a letter.");
        if (string.IsNullOrWhiteSpace(rule.NameVi) || string.IsNullOrWhiteSpace(rule.NameEn) || rule.NameVi.Length > 200 || rule.NameEn.Length > 200)
            throw new InputException("invalid_rule_name", "A rule needs a name in Vietnamese and in English, each at most 200 characters.");
        if (!MetricCatalogue.RuleMetrics.Any(m => m.Code == rule.Metric))
        {
            var codes = string.Join(", ", MetricCatalogue.RuleMetrics.Select(m => m.Code));
            throw new InputException("invalid_metric", $"The metric must be one of {codes}.") { Args = [codes] };
        }
        if (!Comparisons.Contains(rule.Comparison))
            throw new InputException("invalid_comparison", "The comparison must be one of >, >=, <, <=.");
        if (!double.IsFinite(rule.Threshold))
            throw new InputException("invalid_threshold", "The threshold must be a number.");
        if (rule.ForDays is < 1 or > 60 || rule.KeepFiringForDays is < 0 or > 60)
            throw new InputException("invalid_days", "'for' is 1 to 60 days and 'keep firing for' 0 to 60 days.");
        if (rule.MinBase is < 0)
            throw new InputException("invalid_min_base", "The minimum base is a number of parcels, 0 or more.");
        if (!Severities.Contains(rule.Severity))
            throw new InputException("invalid_severity", "The severity must be info, warning or critical.");
        if (rule.Channels.Length == 0 || rule.Channels.Any(c => !ChannelNames.Contains(c)))
            throw new InputException("invalid_channels", "Channels are email, webhook or both.");
        var phases = rule.Phases ?? [];
        foreach (var phase in phases)
        {
            if (!PhasePattern().IsMatch(phase.Phase) || (!phase.Muted && phase.Threshold is null) || (phase.Threshold is { } v && !double.IsFinite(v)))
                throw new InputException("invalid_phase_override", $"Phase override '{phase.Phase}' needs a phase code and either muted or a threshold.");
        }
        if (phases.GroupBy(p => p.Phase).Any(g => g.Count() > 1))
            throw new InputException("invalid_phase_override", "Each phase may be overridden once.");
        var units = rule.UnitCodes is { Length: > 0 } list ? list.Select(u => u.Trim()).Where(u => u.Length > 0).Distinct().ToArray() : null;
        return rule with
        {
            Code = code, NameVi = rule.NameVi.Trim(), NameEn = rule.NameEn.Trim(), CarrierCode = Carriers.CarrierCodes.NormalizeOrNull(rule.CarrierCode),
            UnitCodes = units is { Length: > 0 } ? units : null, Channels = rule.Channels.Distinct().ToArray(), Reason = rule.Reason?.Trim() ?? "",
            Phases = phases.Select(p => p with { Threshold = p.Muted ? null : p.Threshold }).ToList(),
        };
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{1,40}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex("^[a-z][a-z_]{1,30}$")]
    private static partial Regex PhasePattern();
}
