-- The per-carrier queue cap counts a carrier's waiting uploads at every upload.
create index upload_pending_carrier on upload (carrier_id) where status in ('queued', 'processing');
