-- Incident reports ("báo cáo đột xuất"): what a carrier reports at once, its timeline with the department, and its
-- files. The vocabulary of types, severities and states is documented in docs/guide and docs/notifications.md.
create table incident (
    id               bigint generated always as identity primary key,
    carrier_id       integer not null references carrier (id),
    type             text not null check (type in ('weather', 'traffic_accident', 'fire', 'outage', 'prohibited_goods', 'theft',
                                                   'staff_shortage', 'overload', 'other')),
    severity         text not null check (severity in ('info', 'warning', 'critical')),
    started_at       timestamptz not null,
    unit_codes       text[] not null default '{}',
    parcels_affected integer check (parcels_affected >= 0),
    description      text not null check (length(description) between 1 and 4000),
    actions          text check (length(actions) <= 4000),
    contact          text not null check (length(contact) between 1 and 300),
    state            text not null default 'reported' check (state in ('reported', 'acknowledged', 'handling', 'resolved', 'closed')),
    reported_by      text not null,
    reported_at      timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    acknowledged_at  timestamptz,
    resolved_at      timestamptz,
    closed_at        timestamptz
);
create index incident_by_carrier on incident (carrier_id, started_at desc);
create index incident_open on incident (updated_at) where state not in ('resolved', 'closed');

-- The timeline: updates from both sides, a state change being one with state_from and state_to set.
create table incident_update (
    id          bigint generated always as identity primary key,
    incident_id bigint not null references incident (id) on delete cascade,
    author      text not null,
    side        text not null check (side in ('carrier', 'department')),
    text        text not null check (length(text) <= 4000),
    state_from  text,
    state_to    text,
    at          timestamptz not null default now(),
    check ((state_from is null) = (state_to is null))
);
create index incident_update_by_incident on incident_update (incident_id, id);

-- Files kept in the database like uploads' raw files; the content type is the one read from the bytes.
create table incident_attachment (
    incident_id  bigint not null references incident (id) on delete cascade,
    number       integer not null check (number >= 1),
    update_id    bigint references incident_update (id) on delete cascade,
    file_name    text not null check (length(file_name) between 1 and 255),
    content_type text not null check (content_type in ('image/png', 'image/jpeg', 'application/pdf')),
    size_bytes   bigint not null check (size_bytes > 0),
    sha256       bytea not null check (length(sha256) = 32),
    content      bytea not null,
    added_by     text not null,
    added_at     timestamptz not null default now(),
    primary key (incident_id, number)
);

-- The outbox carries incident notices too: once per incident, kind, sequence (the reminder's number), channel and recipient.
alter table notification add column incident_id bigint references incident (id);
alter table notification drop constraint notification_kind_check;
alter table notification add constraint notification_kind_check
    check (kind in ('firing', 'resolved', 'reminder', 'digest', 'incident_reported', 'incident_stale'));
create unique index notification_incident_once on notification (incident_id, kind, sequence, channel, recipient) where incident_id is not null;
