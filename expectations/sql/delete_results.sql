-- delete_results: the previous quality results of the documents validated now (quality_validated is
-- a registered list of doc_ids).
delete from quality_results
where doc_id in (select doc_id from quality_validated)
