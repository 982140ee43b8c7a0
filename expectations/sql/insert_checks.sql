-- insert_checks: this run's outcomes (quality_outcomes is a registered arrow table).
insert into quality_checks by name
select doc_id, expectation, suite, outcome, checked, failed, severity, reason, checked_at
from quality_outcomes
