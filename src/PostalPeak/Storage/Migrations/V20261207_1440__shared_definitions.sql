-- Definitions that several features' queries share, each written once here.

-- The name a unit code goes by now: its latest version's (a code keeps its number when the unit is renamed).
create function unit_name(unit_code text) returns text
    language sql stable parallel safe
    return (select u.name from admin_unit u where u.code = unit_code order by u.valid_from desc limit 1);

-- A withdrawn alert: ended without a report day of its own, because the corrected data never had it. Overviews,
-- charts and digests leave it out.
create function alert_withdrawn(a alert) returns boolean
    language sql immutable parallel safe
    return a.state = 'resolved' and a.resolved_on is null;

-- Every day of every season, with its offset from Tết and its phase (null outside every phase).
create view season_day as
select s.year as season, d::date as report_date, d::date - s.tet_date as tet_offset, p.code as phase
from season s
cross join generate_series(s.tet_date + s.from_offset, s.tet_date + s.to_offset, interval '1 day') d
left join season_phase p on p.season_year = s.year and d::date - s.tet_date between p.from_offset and p.to_offset;
