-- where each compared document's file is: the raw store holds it by file_sha256.
select doc_id, file_sha256, file_name, source_url, first_page, last_page
from comparison_documents
