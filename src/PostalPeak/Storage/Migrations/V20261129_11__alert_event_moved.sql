-- An alert whose episode now begins on another day (a late report, a corrected figure, a changed threshold)
-- keeps its identity, acknowledgement and messages; the history says where its start moved, and when an
-- ended alert is open again.
alter table alert_event drop constraint alert_event_kind_check;
alter table alert_event add constraint alert_event_kind_check
    check (kind in ('pending', 'firing', 'resolved', 'withdrawn', 'acknowledged', 'silenced', 'moved', 'reopened'));
