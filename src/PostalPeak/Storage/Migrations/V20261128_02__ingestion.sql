-- Ingestion: every received file is kept (raw bytes first), then parsed into daily_report.
-- Corrected figures keep their earlier values in daily_report_history.

create table upload (
    id             bigint generated always as identity primary key,
    carrier_id     integer not null references carrier (id),
    channel        text not null check (channel in ('web', 'api', 'folder', 'cli')),
    original_name  text not null,
    size_bytes     bigint not null check (size_bytes >= 0),
    sha256         bytea not null check (length(sha256) = 32),
    content        bytea not null,
    actor          text not null,
    user_id        integer references app_user (id),
    token_id       integer references api_token (id),
    -- The language the uploader reads, for messages rendered later (e-mails, the drop folder's .errors.csv).
    language       text not null default 'vi' check (language in ('vi', 'en')),
    received_at    timestamptz not null default now(),
    status         text not null default 'queued'
                   check (status in ('queued', 'processing', 'accepted', 'rejected', 'duplicate')),
    duplicate_of   bigint references upload (id),
    started_at     timestamptz,
    finished_at    timestamptz,
    encoding       text,
    separator      text,
    rows_total     integer,
    rows_new       integer,
    rows_corrected integer,
    rows_unchanged integer,
    error_count    integer not null default 0,
    warning_count  integer not null default 0
);
create index upload_carrier_received on upload (carrier_id, received_at desc);
create index upload_carrier_sha on upload (carrier_id, sha256);
create index upload_pending on upload (status) where status in ('queued', 'processing');

-- Errors and warnings of an upload. Messages are rendered from code and args in the reader's language.
create table upload_issue (
    upload_id   bigint not null references upload (id) on delete cascade,
    seq         integer not null,
    severity    text not null check (severity in ('error', 'warning')),
    line        integer,
    column_name text,
    code        text not null,
    args        jsonb not null default '{}',
    primary key (upload_id, seq)
);

create table daily_report (
    carrier_id          integer not null references carrier (id),
    unit_code           text not null,
    report_date         date not null,
    received            bigint not null check (received >= 0),
    delivered           bigint not null check (delivered >= 0),
    returned            bigint check (returned >= 0),
    lost                bigint check (lost >= 0),
    damaged             bigint check (damaged >= 0),
    backlog             bigint check (backlog >= 0),
    complaints_received bigint check (complaints_received >= 0),
    complaints_resolved bigint check (complaints_resolved >= 0),
    staff_on_duty       bigint check (staff_on_duty >= 0),
    note                text check (length(note) <= 500),
    upload_id           bigint not null references upload (id),
    line                integer not null,
    updated_at          timestamptz not null default now(),
    primary key (carrier_id, unit_code, report_date)
);
create index daily_report_date on daily_report (report_date);
create index daily_report_upload on daily_report (upload_id);

-- The values a correction replaced, with the upload that first brought them and the one that replaced them.
create table daily_report_history (
    id                  bigint generated always as identity primary key,
    carrier_id          integer not null,
    unit_code           text not null,
    report_date         date not null,
    received            bigint not null,
    delivered           bigint not null,
    returned            bigint,
    lost                bigint,
    damaged             bigint,
    backlog             bigint,
    complaints_received bigint,
    complaints_resolved bigint,
    staff_on_duty       bigint,
    note                text,
    upload_id           bigint not null references upload (id),
    replaced_by         bigint not null references upload (id),
    replaced_at         timestamptz not null default now()
);
create index daily_report_history_key on daily_report_history (carrier_id, unit_code, report_date);
