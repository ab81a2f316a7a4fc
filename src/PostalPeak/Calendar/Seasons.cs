using Dapper;
using Npgsql;
using PostalPeak.Audit;
using PostalPeak.Shell;

namespace PostalPeak.Calendar;

public sealed record Phase(string Code, string NameVi, string NameEn, int FromOffset, int ToOffset)
{
    /// <summary>The name in the reader's language (English on request, Vietnamese otherwise).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Name => System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? NameEn : NameVi;
}

public sealed record Season(int Year, string Name, DateOnly TetDate, int FromOffset, int ToOffset, IReadOnlyList<Phase> Phases)
{
    public DateOnly From => TetDate.AddDays(FromOffset);
    public DateOnly To => TetDate.AddDays(ToOffset);

    public Phase? PhaseAt(int offset) => Phases.FirstOrDefault(p => p.FromOffset <= offset && offset <= p.ToOffset);

    /// <summary>Every day of the season with its Tết offset, phase and Vietnamese lunar label.</summary>
    public IEnumerable<SeasonDay> Days() =>
        Enumerable.Range(FromOffset, ToOffset - FromOffset + 1).Select(offset =>
        {
            var date = TetDate.AddDays(offset);
            var lunar = LunarCalendar.ToLunar(date);
            return new SeasonDay(date, offset, PhaseAt(offset)?.Code, VietnameseNames.TetLabel(lunar), VietnameseNames.DayLabel(lunar));
        });
}

public sealed record SeasonDay(DateOnly Date, int TetOffset, string? Phase, string TetLabel, string LunarLabel);

/// <summary>
/// The Tết seasons: one per lunar year, window T-30 … T+15 with four phases by default (design section 5),
/// generated from <see cref="LunarCalendar"/> and editable by an administrator.
/// </summary>
public sealed class Seasons(NpgsqlDataSource db)
{
    /// <summary>The season meant when none is named: a season runs from December to March, so from April on the coming one.</summary>
    public static int ComingYear(DateTime utcNow) => utcNow.Month >= 4 ? utcNow.Year + 1 : utcNow.Year;

    /// <summary>
    /// The season the analysis pages open on: the coming one once its first report is in, until then the latest
    /// season with reports. In November the last Tết is what there is to read, not an empty page.
    /// </summary>
    /// <remarks>
    /// A carrier's reader gets the latest season its own carrier reported in (<paramref name="carrierCode"/>): another
    /// carrier's newer files must not show through the default.
    /// </remarks>
    public static async Task<int> DefaultYearAsync(NpgsqlDataSource db, DateTime utcNow, string? carrierCode, CancellationToken cancellationToken)
    {
        var coming = ComingYear(utcNow);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<int>(new CommandDefinition("""
            select coalesce((
                select s.year from season s
                where s.year <= @coming and s.tet_date + s.from_offset <= (
                    select max(r.report_date) from daily_report r
                    where @carrierCode::text is null or r.carrier_id = (select c.id from carrier c where c.code = @carrierCode))
                order by s.year desc limit 1), @coming)
            """, new { coming, carrierCode }, cancellationToken: cancellationToken));
    }

    public const int DefaultFrom = -30;
    public const int DefaultTo = 15;

    public static IReadOnlyList<Phase> DefaultPhases { get; } =
    [
        new("peak", "Cao điểm trước Tết", "Peak before Tết", -30, -8),
        new("run_up", "Cận Tết", "Run-up", -7, -1),
        new("holiday", "Nghỉ Tết", "Holiday", 0, 4),
        new("recovery", "Sau Tết", "Recovery", 5, 15),
    ];

    public static string DefaultName(int year) => $"Tết {VietnameseNames.YearName(year)} {year}";

    /// <summary>Creates the seasons of these years that do not exist yet; edited seasons are left alone.</summary>
    public static async Task<int> EnsureAsync(NpgsqlDataSource db, int fromYear, int toYear, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var created = await EnsureAsync(connection, transaction, fromYear, toYear, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return created;
    }

    /// <summary>
    /// The same inside the caller's transaction, so that the seasons commit with the rows that needed them.
    /// Years are taken in ascending order: two writers creating the same new years wait on each other, never deadlock.
    /// </summary>
    public static async Task<int> EnsureAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int fromYear, int toYear, CancellationToken cancellationToken = default)
    {
        fromYear = Math.Max(fromYear, LunarCalendar.FirstYear + 1);
        toYear = Math.Min(toYear, LunarCalendar.LastYear);
        if (fromYear > toYear)
            return 0;
        // Nearly always every year is there already: one read, and no insert that could wait on another writer.
        var existing = (await connection.QueryAsync<int>(new CommandDefinition(
            "select year from season where year between @fromYear and @toYear", new { fromYear, toYear }, transaction, cancellationToken: cancellationToken))).ToHashSet();
        var created = 0;
        for (var year = fromYear; year <= toYear; year++)
        {
            if (existing.Contains(year))
                continue;
            var inserted = await connection.ExecuteAsync(new CommandDefinition("""
                insert into season (year, name, tet_date, from_offset, to_offset) values (@year, @name, @tet, @from, @to)
                on conflict (year) do nothing
                """, new { year, name = DefaultName(year), tet = LunarCalendar.Tet(year), from = DefaultFrom, to = DefaultTo }, transaction,
                cancellationToken: cancellationToken));
            if (inserted == 0)
                continue;
            await connection.ExecuteAsync(new CommandDefinition("""
                insert into season_phase (season_year, code, name_vi, name_en, from_offset, to_offset)
                values (@year, @Code, @NameVi, @NameEn, @FromOffset, @ToOffset)
                """, DefaultPhases.Select(p => new { year, p.Code, p.NameVi, p.NameEn, p.FromOffset, p.ToOffset }), transaction,
                cancellationToken: cancellationToken));
            created++;
        }
        return created;
    }

    /// <summary>
    /// The season a day falls to by default: next year's once that window (T-30) has begun, as it can in late
    /// December, else its own year's.
    /// </summary>
    public static int DefaultYearOf(DateOnly day) =>
        day.Year < LunarCalendar.LastYear && day >= LunarCalendar.Tet(day.Year + 1).AddDays(DefaultFrom) ? day.Year + 1 : day.Year;

    public async Task<IReadOnlyList<Season>> ListAsync()
    {
        await using var connection = await db.OpenConnectionAsync();
        var seasons = await connection.QueryAsync<(int Year, string Name, DateOnly TetDate, int FromOffset, int ToOffset)>(
            "select year, name, tet_date, from_offset, to_offset from season order by year");
        var phases = (await connection.QueryAsync<(int Year, string Code, string NameVi, string NameEn, int FromOffset, int ToOffset)>(
            "select season_year, code, name_vi, name_en, from_offset, to_offset from season_phase order by season_year, from_offset"))
            .ToLookup(p => p.Year, p => new Phase(p.Code, p.NameVi, p.NameEn, p.FromOffset, p.ToOffset));
        return seasons.Select(s => new Season(s.Year, s.Name, s.TetDate, s.FromOffset, s.ToOffset, phases[s.Year].ToList())).ToList();
    }

    /// <summary>A season by year; one that does not exist is a 404 that names the seasons there are.</summary>
    public async Task<Season> GetAsync(int year) => Pick(await ListAsync(), year);

    /// <summary>
    /// The season a page shows: the one asked for, which must exist, else <paramref name="fallback"/>, else the latest.
    /// A page must never draw another season under the year its field still shows.
    /// </summary>
    public static Season Shown(IReadOnlyList<Season> all, int? asked, int fallback) =>
        asked is { } year ? Pick(all, year) : all.FirstOrDefault(s => s.Year == fallback) ?? all[^1];

    /// <summary>Every asked year that is a season, or the 404 for the first that is not.</summary>
    public async Task CheckAsync(IEnumerable<int> years)
    {
        var all = await ListAsync();
        foreach (var year in years)
            Pick(all, year);
    }

    private static Season Pick(IReadOnlyList<Season> all, int year) =>
        all.FirstOrDefault(s => s.Year == year) ?? throw Unknown(year, all);

    private static InputException Unknown(int year, IReadOnlyList<Season> all)
    {
        var years = string.Join(", ", all.Select(s => s.Year.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        // The code stays not_found for API clients; the page and the problem say which seasons there are.
        return new InputException("not_found", $"No season {year}: the seasons are {years}.", StatusCodes.Status404NotFound)
        {
            Key = "Error.unknown_season",
            Args = [year.ToString(System.Globalization.CultureInfo.InvariantCulture), years],
        };
    }

    /// <summary>Replaces a season's name, window and phases. Phases must lie inside the window and not overlap.</summary>
    public async Task<Season> UpdateAsync(int year, string name, int fromOffset, int toOffset, IReadOnlyList<Phase> phases, Actor actor)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
            throw new InputException("invalid_season_name", "A season name is 1 to 100 characters.");
        if (fromOffset > 0 || toOffset < 0 || toOffset - fromOffset > 120)
            throw new InputException("invalid_season_window", "The window must contain Tết (from ≤ 0 ≤ to) and span at most 121 days.");
        // A JSON body may leave out the list or a phase's fields: a clear 400, not a null reference.
        if (phases is null || phases.Any(p => p is null))
            throw new InputException("invalid_phase", "Every phase needs a lower-case code, names in both languages, and days inside the window.") { Args = [""] };
        var ordered = phases.OrderBy(p => p.FromOffset).ToList();
        foreach (var phase in ordered)
        {
            if (phase.Code is null || !System.Text.RegularExpressions.Regex.IsMatch(phase.Code, "^[a-z][a-z_]{1,30}$") || phase.FromOffset > phase.ToOffset
                || phase.FromOffset < fromOffset || phase.ToOffset > toOffset || string.IsNullOrWhiteSpace(phase.NameVi) || string.IsNullOrWhiteSpace(phase.NameEn))
                throw new InputException("invalid_phase", $"Phase '{phase.Code}' needs a lower-case code, names in both languages, and days inside the window.") { Args = [phase.Code ?? ""] };
        }
        // A code names the phase in alert rules and roll-ups, so two phases under one code would be one phase with a hole.
        if (ordered.GroupBy(p => p.Code, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } repeated)
            throw new InputException("duplicate_phase_code", $"Two phases have the code '{repeated.Key}': each phase needs a code of its own.") { Args = [repeated.Key] };
        for (var i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].FromOffset <= ordered[i - 1].ToOffset)
                throw new InputException("overlapping_phases", $"Phases '{ordered[i - 1].Code}' and '{ordered[i].Code}' overlap.") { Args = [ordered[i - 1].Code, ordered[i].Code] };
        }

        await using var connection = await db.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var updated = await connection.ExecuteAsync("""
            update season set name = @seasonName, from_offset = @fromOffset, to_offset = @toOffset, edited_by = @editedBy, edited_at = now()
            where year = @year
            """, new { year, seasonName = name.Trim(), fromOffset, toOffset, editedBy = actor.Name }, transaction);
        if (updated == 0)
            throw InputException.NotFound("season", year.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await connection.ExecuteAsync("delete from season_phase where season_year = @year", new { year }, transaction);
        await connection.ExecuteAsync("""
            insert into season_phase (season_year, code, name_vi, name_en, from_offset, to_offset)
            values (@year, @Code, @NameVi, @NameEn, @FromOffset, @ToOffset)
            """, ordered.Select(p => new { year, p.Code, p.NameVi, p.NameEn, p.FromOffset, p.ToOffset }), transaction);
        await AuditLog.WriteAsync(connection, transaction, actor, "season.update", "season", year.ToString(System.Globalization.CultureInfo.InvariantCulture),
            details: new { name, fromOffset, toOffset, phases = ordered });
        await transaction.CommitAsync();
        return await GetAsync(year);
    }
}
