-- The days an incident affected, in the department's time zone: from the day it started to the day it was resolved
-- (or closed, should that come without a resolution); an open incident runs on with no last day.
create function incident_days(i incident, zone text) returns daterange
    language sql stable parallel safe
    return daterange((i.started_at at time zone zone)::date,
                     case when coalesce(i.resolved_at, i.closed_at) is not null
                          then greatest((i.started_at at time zone zone)::date, (coalesce(i.resolved_at, i.closed_at) at time zone zone)::date) end,
                     '[]');

-- The days of an alert, as report days: from the first day its condition held to the day it resolved (or the last day
-- it held); an alert not resolved runs on.
create function alert_days(a alert) returns daterange
    language sql immutable parallel safe
    return case when a.state = 'resolved' then daterange(a.started_on, greatest(a.started_on, coalesce(a.resolved_on, a.last_held_on)), '[]')
                else daterange(a.started_on, null, '[)') end;

-- The one place that decides whether an alert and an incident belong together: the same carrier, overlapping days,
-- and, when both name units, a unit in common (a carrier-wide alert or an incident naming no unit concerns every unit).
-- A withdrawn alert, which the corrected figures never had, relates to nothing.
create function incident_relates_to_alert(i incident, a alert, zone text) returns boolean
    language sql stable parallel safe
    return i.carrier_id = a.carrier_id
        and not alert_withdrawn(a)
        and incident_days(i, zone) && alert_days(a)
        and (a.unit_code = '' or cardinality(i.unit_codes) = 0 or a.unit_code = any(i.unit_codes));
