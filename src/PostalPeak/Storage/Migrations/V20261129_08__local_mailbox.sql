-- E-mail kept in the database instead of sent, when no SMTP server is configured but a local mailbox is
-- asked for (the demo). One row per outbox message: a repeated delivery attempt writes nothing twice.
create table local_mail (
    id              bigint generated always as identity primary key,
    notification_id bigint not null unique,
    recipient       text not null,
    subject         text not null,
    body            text not null,
    attachment_name text,
    attachment_type text,
    attachment      bytea,
    delivered_at    timestamptz not null default now()
);
