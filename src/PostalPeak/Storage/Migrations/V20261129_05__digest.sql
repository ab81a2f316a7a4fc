-- The daily digest: an e-mail per recipient group with the day's figures and a chart attached.
alter table notification
    add column attachment      bytea,
    add column attachment_name text,
    add column attachment_type text,
    -- 'digest:{report day}:{group}:{recipient}': a digest is written once per report day, recipient group and recipient.
    add column digest_key      text,
    add check ((attachment is null) = (attachment_name is null) and (attachment is null) = (attachment_type is null)),
    add check ((kind = 'digest') = (digest_key is not null));
create unique index notification_digest_once on notification (digest_key) where digest_key is not null;
