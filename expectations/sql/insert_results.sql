-- insert_results: this run's findings (quality_findings is a registered arrow table).
insert into quality_results by name
select doc_id, expectation, suite, severity, item, message, checked_at
from quality_findings
