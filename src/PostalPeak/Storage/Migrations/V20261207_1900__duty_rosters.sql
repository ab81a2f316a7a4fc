-- Duty rosters ("lịch trực"): per carrier, day and shift, who leads ("lãnh đạo trực"), who runs operations
-- ("trực điều hành") and which hotline ("đường dây nóng") answers. A shift is a wall-clock range in Vietnam time
-- starting on duty_date: shift_start plus shift_minutes (up to 24 h; past midnight it ends the next day).
-- "Cả ngày" is 00:00 for 1440 minutes. Phones are stored canonical (+84…, or the digits of 1900/1800 numbers).

-- Every roster file as it arrived, accepted or rejected: the raw bytes are kept whatever their fate.
create table duty_roster_upload (
    id            bigint generated always as identity primary key,
    carrier_id    integer not null references carrier (id),
    channel       text not null check (channel in ('web', 'api')),
    original_name text not null check (length(original_name) between 1 and 255),
    size_bytes    bigint not null check (size_bytes >= 0),
    sha256        bytea not null,
    content       bytea not null,
    actor         text not null,
    received_at   timestamptz not null default now(),
    status        text not null check (status in ('accepted', 'rejected')),
    rows_total    integer not null default 0,
    rows_new      integer not null default 0,
    rows_replaced integer not null default 0,
    rows_unchanged integer not null default 0,
    error_count   integer not null default 0,
    -- [{line, column, code, args}] of a rejected file (at most the first 1000).
    issues        jsonb not null default '[]'
);
create index duty_roster_upload_carrier on duty_roster_upload (carrier_id, id desc);

-- The current roster: one row per carrier, day, shift and unit ('' for the whole carrier).
create table duty_roster (
    carrier_id      integer not null references carrier (id),
    duty_date       date not null,
    shift_start     time not null,
    shift_minutes   integer not null check (shift_minutes between 1 and 1440),
    unit_code       text not null default '' check (length(unit_code) <= 20),
    shift_name      text not null default '' check (length(shift_name) <= 100),
    leader_name     text not null check (length(leader_name) between 1 and 200),
    leader_position text not null default '' check (length(leader_position) <= 200),
    leader_phone    text not null check (length(leader_phone) between 3 and 20),
    operator_name   text not null check (length(operator_name) between 1 and 200),
    operator_phone  text not null check (length(operator_phone) between 3 and 20),
    hotline         text not null check (length(hotline) between 3 and 20),
    hotline_24h     boolean,
    upload_id       bigint references duty_roster_upload (id),
    submitted_by    text not null,
    submitted_at    timestamptz not null default now(),
    primary key (carrier_id, duty_date, shift_start, shift_minutes, unit_code)
);
create index duty_roster_day on duty_roster (duty_date);

-- What a later submission replaced, as it was, with who replaced it and when.
create table duty_roster_history (
    id              bigint generated always as identity primary key,
    carrier_id      integer not null,
    duty_date       date not null,
    shift_start     time not null,
    shift_minutes   integer not null,
    unit_code       text not null,
    shift_name      text not null,
    leader_name     text not null,
    leader_position text not null,
    leader_phone    text not null,
    operator_name   text not null,
    operator_phone  text not null,
    hotline         text not null,
    hotline_24h     boolean,
    upload_id       bigint,
    submitted_by    text not null,
    submitted_at    timestamptz not null,
    replaced_by     text not null,
    replaced_at     timestamptz not null default now(),
    replaced_by_upload_id bigint
);
create index duty_roster_history_key on duty_roster_history (carrier_id, duty_date);
