-- counts for the manifest and the report's overview, over current documents.
select
    count(*) as documents,
    count(*) filter (where status = 'published') as published,
    count(*) filter (where status = 'quarantined') as quarantined,
    count(*) filter (where status = 'failed') as failed,
    (select count(*) from comparison_documents) as compared,
    (select list(distinct jurisdiction order by jurisdiction) from comparison_documents) as jurisdictions,
    (select list(distinct fiscal_year order by fiscal_year) from comparison_documents) as fiscal_years,
    (select list(distinct department_type order by department_type) from comparison_documents) as department_types
from current_documents
