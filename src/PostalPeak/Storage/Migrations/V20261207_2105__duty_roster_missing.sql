-- Duty roster compliance: which season days need a roster, and whether each carrier has one, decided here once
-- for the alert rule, the compliance answer, the overview and the roster page.

-- A day of the run-up ("Cận Tết") or holiday ("Nghỉ Tết") phase needs a roster; a day is covered for a carrier
-- when its roster has at least one entry for that day, whatever the shift or unit. Shifts that leave hours of
-- the day open still count as covered: the department reads the shifts on the roster page, and a rule on hours
-- would have to guess which hours a sub-unit's roster is meant to cover. Active carriers only.
-- Null bounds and a null carrier mean no limit.
create function duty_roster_days(p_carrier_id integer, p_from date, p_to date)
    returns table (carrier_id integer, duty_date date, season integer, phase text, required boolean, covered boolean)
    language sql stable
as $body$
    select c.id, d.report_date, d.season, d.phase, coalesce(d.phase in ('run_up', 'holiday'), false),
           exists (select 1 from duty_roster r where r.carrier_id = c.id and r.duty_date = d.report_date)
    from carrier c
    cross join season_day d
    where c.active and (p_carrier_id is null or c.id = p_carrier_id)
      and (p_from is null or d.report_date >= p_from) and (p_to is null or d.report_date <= p_to)
$body$;

alter table alert_rule drop constraint alert_rule_metric_check;
alter table alert_rule add constraint alert_rule_metric_check check (metric in (
    'days_to_clear', 'throughput_ratio', 'clearance_rate', 'backlog_growth', 'closing', 'unaccounted',
    'loss_per_10k', 'damage_per_10k', 'lost', 'damaged', 'returned',
    'complaints_per_10k', 'open_complaints', 'missing_report', 'duty_roster_missing'));

insert into alert_rule (code, name_vi, name_en, metric, comparison, threshold, for_days, keep_firing_for_days, severity, reason)
values ('duty_roster_missing', 'Thiếu lịch trực Tết', 'Duty roster missing', 'duty_roster_missing', '>=', 1, 1, 0, 'warning',
        'The directive asks for leaders and operations on duty every day of the run-up and the holiday; a day without a roster is found the afternoon before (Duty:RosterDeadlineHour).');
