-- comparison_identity: the columns every comparison row starts with (warehouse.models.IDENTITY_COLUMNS),
-- one row per compared document: comparison_documents without the columns that say where its figures
-- can be checked. the comparison models start from it instead of each listing these columns again. a
-- temporary view, like the macros: it lives only in the connection that builds the models.
create or replace temp view comparison_identity as
select * exclude (file_sha256, file_name, source_url, first_page, last_page, template)
from comparison_documents;
