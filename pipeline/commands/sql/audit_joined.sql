-- audit: files that are not budgets of their own: text parts joined into their tables part, older
-- files replaced by a newer one of the same budget
select p.file_name, 'joined into' as how, b.file_name
from documents as p
join documents as b on b.doc_id = p.part_of
union all
select o.file_name, 'replaced by' as how, n.file_name
from documents as o
join documents as n on n.doc_id = o.replaced_by
order by 1
