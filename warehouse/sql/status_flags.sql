-- what the published current documents carry: figures withheld (and in how many documents), and
-- documents with warning-level quality findings
with published as (
    select doc_id
    from current_documents
    where status = 'published'
)

select
    (select count(*) from withheld_figures as w inner join published as p on w.doc_id = p.doc_id)
        as withheld_figures,
    (select count(distinct w.doc_id) from withheld_figures as w inner join published as p on w.doc_id = p.doc_id)
        as withheld_documents,
    (
        select count(distinct q.doc_id)
        from quality_results as q inner join published as p on q.doc_id = p.doc_id
        where q.severity = 'warning'
    ) as warned_documents
