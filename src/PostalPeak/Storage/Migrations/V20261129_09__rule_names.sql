-- The backlog rule's default name carried its first threshold (3 days) after the threshold became 5, and
-- its phases use 7 and 8: a name with a number goes stale. Names an administrator changed are left alone.
update alert_rule
   set name_vi = 'Tồn đọng lâu mới giải tỏa được', name_en = 'Backlog slow to clear'
 where code = 'backlog_days_to_clear'
   and name_vi = 'Tồn đọng cần hơn 3 ngày để giải tỏa'
   and name_en = 'Backlog needs more than 3 days to clear';
