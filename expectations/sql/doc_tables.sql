-- doc_tables of the candidate documents, with each table's printed precision: the most decimals
-- any of its non-zero amount cells prints ("2,579.00" → 2; a nil "0.00" in a whole-万元 table says
-- nothing about its precision), and how many amount cells it has.
with precision as (
    select t.doc_id, t.table_index,
           max(case when strpos(t.text, '.') > 0 then length(t.text) - strpos(t.text, '.') else 0 end)
               as decimals,
           count(*) as amount_cells
    from table_cells as t
    join quality_candidates as c using (doc_id)
    where t.amount is not null and t.amount <> 0
    group by all
)
select d.doc_id, d.table_index, d.kind, d.title, d.unit, d.pages, d.empty, d.header, d.row_count,
       p.decimals, coalesce(p.amount_cells, 0) as amount_cells
from doc_tables as d
join quality_candidates as c using (doc_id)
left join precision as p using (doc_id, table_index)
order by d.doc_id, d.table_index
