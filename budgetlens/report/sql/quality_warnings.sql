-- the quality findings compared documents are published with (what their flags mean, in words):
-- warnings, withheld figures (not compared) and findings a reviewer accepted (expectations/overrides.toml).
select
    q.doc_id,
    q.expectation || case q.severity
        when 'withheld' then ' · withheld: this figure is not compared'
        when 'accepted' then ' · accepted by a reviewer'
        else ''
    end as expectation,
    q.message,
    q.item
from quality_results as q
semi join comparison_documents as d using (doc_id)
where q.severity in ('warning', 'withheld', 'accepted')
order by q.doc_id, q.expectation, q.item, q.message
