-- the doc_ids a warehouse holds (the loader adds staged records it does not).
select doc_id from documents
