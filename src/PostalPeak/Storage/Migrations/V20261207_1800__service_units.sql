-- A carrier's service units: the units it reports for. Declared by the department per carrier; a carrier with no
-- declared unit is expected for the units in force it reported in the previous 7 days (design section 4).
create table carrier_service_unit (
    carrier_id  integer not null references carrier (id) on delete cascade,
    unit_code   text not null,
    declared_at timestamptz not null default now(),
    declared_by text not null,
    primary key (carrier_id, unit_code)
);

-- For each of the given days (and the given units; null: all), every carrier × unit pair that is expected to report or did report, and for an
-- expected pair without a report its latest stocks of the p_carry_days days before (Prometheus's lookback rule:
-- a stock stays current for a bounded time, then the unit is missing, never zero).
-- Expected: the carrier's declared units, else each unit it reported on one of the 7 days before; only active
-- carriers, and only units in force on the day. A report outside the list still counts (reported is true).
create function report_coverage(p_days date[], p_carrier text, p_units text[], p_carry_days integer)
    returns table (carrier_id integer, unit_code text, report_date date, expected boolean, reported boolean,
                   carried_from date, closing bigint, backlog bigint, open_complaints bigint)
    language sql stable parallel safe
    as $body$
    with days as (
        select distinct d as report_date from unnest(p_days) d
    ),
    scope as (
        select c.id, c.active from carrier c where p_carrier is null or c.code = p_carrier
    ),
    in_force as materialized (
        -- Read once and hashed: a lookup per pair would cost more than the rest of the function.
        select u.code, u.valid_from, coalesce(u.valid_to, 'infinity') as valid_to from admin_unit u
    ),
    reports as (
        -- Each report and the next one of its series: the 7-day window of a report ends at the next report, so a
        -- series reported daily yields one expected day per report instead of seven.
        select i.carrier_id, i.unit_code, i.report_date,
               lead(i.report_date) over (partition by i.carrier_id, i.unit_code order by i.report_date) as next_date
        from daily_indicator i
        join scope on scope.id = i.carrier_id
        where i.report_date between (select min(report_date) - 7 from days) and (select max(report_date) from days)
          and (p_units is null or i.unit_code = any(p_units))
    ),
    derived as (
        -- The days a report covers, generated (one or a few per report) and then matched: cheaper than comparing
        -- every report with every day.
        select r.carrier_id, r.unit_code, d.report_date
        from reports r
        cross join lateral generate_series(r.report_date + 1, least(r.next_date, r.report_date + 7), interval '1 day') g(day)
        join days d on d.report_date = g.day::date
        where not exists (select 1 from carrier_service_unit s where s.carrier_id = r.carrier_id)
    ),
    declared as (
        select s.carrier_id, s.unit_code, d.report_date
        from carrier_service_unit s
        join scope on scope.id = s.carrier_id
        cross join days d
        where p_units is null or s.unit_code = any(p_units)
    ),
    service as (
        select x.carrier_id, x.unit_code, x.report_date
        -- Disjoint: a carrier's units are either declared or derived, and a report's days end where the next begins.
        from (select * from derived union all select * from declared) x
        join scope on scope.id = x.carrier_id and scope.active
        join in_force u on u.code = x.unit_code and x.report_date between u.valid_from and u.valid_to
    ),
    reported as (
        select r.carrier_id, r.unit_code, r.report_date from reports r join days d on d.report_date = r.report_date
    ),
    pairs as (
        select coalesce(s.carrier_id, r.carrier_id) as carrier_id, coalesce(s.unit_code, r.unit_code) as unit_code,
               coalesce(s.report_date, r.report_date) as report_date, s.carrier_id is not null as expected, r.carrier_id is not null as reported
        from service s
        full join reported r on r.carrier_id = s.carrier_id and r.unit_code = s.unit_code and r.report_date = s.report_date
    )
    select p.carrier_id, p.unit_code, p.report_date, p.expected, p.reported,
           k.report_date, k.closing, k.backlog, k.open_complaints
    from pairs p
    left join lateral (
        select j.report_date, j.closing, j.backlog, j.open_complaints
        from daily_indicator j
        where not p.reported and p_carry_days > 0
          and j.carrier_id = p.carrier_id and j.unit_code = p.unit_code
          and j.report_date between p.report_date - p_carry_days and p.report_date - 1
          and (j.closing is not null or j.backlog is not null or j.open_complaints is not null)
        order by j.report_date desc
        limit 1
    ) k on true
$body$;

-- A sum of two parts, either of which may be unknown: unknown only when both are.
create function sum_known(a numeric, b numeric) returns numeric
    language sql immutable parallel safe
    return case when a is null and b is null then null else coalesce(a, 0) + coalesce(b, 0) end;
