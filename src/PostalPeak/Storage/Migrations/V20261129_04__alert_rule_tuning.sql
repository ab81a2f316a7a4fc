-- Rates over few parcels are noise: one lost parcel among 300 is 33 per 10,000. A rule on a rate can ask
-- for a minimum denominator; days below it are not judged (neither good nor bad).
alter table alert_rule add column min_base bigint check (min_base >= 0);

-- Defaults tuned on the sample seasons (docs/alerts.md): the scripted incidents fire, ordinary days stay quiet.
update alert_rule set threshold = 5, reason = 'The directive asks for delivery within 3 days; above 5 days of backlog at the recent pace, two days running, the unit cannot catch up before Tết without help.'
 where code = 'backlog_days_to_clear';
update alert_rule_phase set threshold = 7 where phase = 'recovery' and rule_id = (select id from alert_rule where code = 'backlog_days_to_clear');
-- In the last week before Tết deliveries slow everywhere and a week of backlog is ordinary.
insert into alert_rule_phase (rule_id, phase, muted, threshold)
select id, 'run_up', false, 8 from alert_rule where code = 'backlog_days_to_clear';
update alert_rule set threshold = 0.7, reason = 'Below 0.7 for three days the backlog grows by almost a third of intake every day; a normal peak stays above it.'
 where code = 'throughput_low';
update alert_rule_phase set threshold = 0.6 where phase = 'run_up' and rule_id = (select id from alert_rule where code = 'throughput_low');
update alert_rule set threshold = 800, for_days = 3, reason = 'More than 800 parcels a day added to one unit''s stock, three days running, is a spiral starting.'
 where code = 'backlog_growth';
update alert_rule set threshold = 30, for_days = 2, min_base = 500,
       reason = 'Six times the directive''s ceiling of 5 per 10,000, two days running, on days with at least 500 parcels handled: a loss incident, not chance.'
 where code = 'loss_rate';
update alert_rule set threshold = 40, for_days = 2, min_base = 1500,
       reason = 'About ten times the usual 3-5 complaints per 10,000 received, over windows of at least 1,500 parcels received.'
 where code = 'complaints_rate';
