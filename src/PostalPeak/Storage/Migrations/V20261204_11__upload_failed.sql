-- Every upload reaches a final state. A fault on the server (not in the file) ends it as 'failed', visible
-- to the uploader and retryable by an administrator, instead of leaving it 'processing' and re-queued for ever.
alter table upload drop constraint upload_status_check;
alter table upload add constraint upload_status_check
    check (status in ('queued', 'processing', 'accepted', 'rejected', 'duplicate', 'failed'));

-- How many times processing started: a file that crashes the process every time still ends, as failed.
alter table upload add column attempts integer not null default 0;

-- The Hangfire jobs that carry the upload: processing, and the last of its follow-ups (refresh, alerts). The
-- resume job queues an upload again only when its job is gone, never beside a job that is still waiting.
alter table upload add column job_id text;
alter table upload add column follow_up_job_id text;

-- Accepted uploads whose figures have not caught up: the resume job looks for them after a crash.
create index upload_figures_pending on upload (finished_at) where status = 'accepted' and figures_updated_at is null;
