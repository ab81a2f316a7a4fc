-- When the indicators (and alerts) caught up with an accepted upload: the uploader is told when the
-- dashboard shows the file, not only that the file was read.
alter table upload add column figures_updated_at timestamptz;
