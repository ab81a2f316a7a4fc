-- Platform schema: carriers, administrative units with validity dates, accounts, API tokens, audit log.
-- Migrations are append-only: never edit a file that has been applied; add a new, later-dated one.

create extension if not exists btree_gist;

create table carrier (
    id             integer generated always as identity primary key,
    code           text not null unique check (code ~ '^[A-Z0-9][A-Z0-9_-]{1,19}$'),
    name           text not null check (length(name) between 1 and 200),
    contact_emails text[] not null default '{}',
    contact_phone  text,
    active         boolean not null default true,
    created_at     timestamptz not null default now()
);

-- An administrative unit as it was in force between valid_from and valid_to (inclusive; null = still in force).
-- The same code may not be in force twice on the same day.
create table admin_unit (
    id            integer generated always as identity primary key,
    code          text not null,
    name          text not null,
    level         text not null check (level in ('district', 'commune')),
    province_code text not null,
    valid_from    date not null,
    valid_to      date,
    check (valid_to is null or valid_to >= valid_from),
    exclude using gist (code with =, daterange(valid_from, valid_to, '[]') with &&)
);
create unique index admin_unit_code_from on admin_unit (code, valid_from);

-- Approximate: which 2023 districts each 2025 commune's former communes belonged to.
create table unit_crosswalk (
    commune_code          text not null,
    district_code         text not null,
    former_communes       integer not null check (former_communes > 0),
    merge_types           text not null,
    primary key (commune_code, district_code)
);

create table role (
    name           text primary key,
    description_vi text not null,
    description_en text not null
);
insert into role (name, description_vi, description_en) values
    ('Admin', 'Quản trị: người dùng, doanh nghiệp, token, ngưỡng cảnh báo, mùa Tết', 'Administrator: users, carriers, tokens, thresholds, seasons'),
    ('Analyst', 'Chuyên viên Sở: theo dõi chỉ số, so sánh mùa, xác nhận cảnh báo', 'Department analyst: indicators, season comparison, alert acknowledgement'),
    ('CarrierManager', 'Quản lý doanh nghiệp bưu chính: gửi báo cáo ngày của doanh nghiệp mình', 'Carrier manager: uploads the daily reports of one carrier');

create table app_user (
    id                   integer generated always as identity primary key,
    user_name            text not null check (user_name ~ '^[a-z0-9][a-z0-9._@-]{1,63}$'),
    display_name         text not null,
    email                text,
    role                 text not null references role (name),
    carrier_id           integer references carrier (id),
    password_hash        text not null,
    failed_sign_ins      integer not null default 0,
    locked_until         timestamptz,
    last_sign_in_at      timestamptz,
    disabled_at          timestamptz,
    created_at           timestamptz not null default now(),
    -- A carrier manager belongs to exactly one carrier; nobody else is bound to one.
    check ((role = 'CarrierManager') = (carrier_id is not null))
);
create unique index app_user_user_name on app_user (user_name);

create table api_token (
    id           integer generated always as identity primary key,
    carrier_id   integer not null references carrier (id),
    name         text not null check (length(name) between 1 and 100),
    -- SHA-256 of the secret: the secret itself is shown once and never stored.
    secret_hash  bytea not null unique,
    prefix       text not null,
    created_by   integer references app_user (id),
    created_at   timestamptz not null default now(),
    expires_at   timestamptz,
    revoked_at   timestamptz,
    revoked_by   integer references app_user (id),
    last_used_at timestamptz
);
create index api_token_carrier on api_token (carrier_id);

create table audit_log (
    id          bigint generated always as identity primary key,
    at          timestamptz not null default now(),
    actor       text not null,
    user_id     integer references app_user (id),
    token_id    integer references api_token (id),
    action      text not null,
    target_type text not null,
    target_id   text,
    carrier_id  integer references carrier (id),
    details     jsonb not null default '{}',
    remote_ip   inet
);
create index audit_log_at on audit_log (at desc);
create index audit_log_target on audit_log (target_type, target_id);
