-- Tết seasons: one per lunar year, generated from the calendar and editable by an administrator.
create table season (
    year         integer primary key,
    name         text not null check (length(name) between 1 and 100),
    tet_date     date not null,
    from_offset  integer not null,
    to_offset    integer not null,
    edited_by    text,
    edited_at    timestamptz,
    check (from_offset <= 0 and to_offset >= 0)
);

create table season_phase (
    season_year integer not null references season (year) on delete cascade,
    code        text not null check (code ~ '^[a-z][a-z_]{1,30}$'),
    name_vi     text not null,
    name_en     text not null,
    from_offset integer not null,
    to_offset   integer not null,
    primary key (season_year, code),
    check (from_offset <= to_offset)
);
