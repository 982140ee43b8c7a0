-- where each compared document's file is (the raw store holds it by file_sha256), the files of the
-- text parts joined into them (a figure read from a part links that file's page) and the final
-- accounts the execution comparison sets against them.
select doc_id, file_sha256, file_name, source_url, first_page, last_page
from comparison_documents
union all
select doc_id, file_sha256, file_name, source_url, first_page, last_page
from documents
where part_of in (select doc_id from comparison_documents)
   or doc_id in (select final_doc_id from execution_comparison)
