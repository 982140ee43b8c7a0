-- comparison_documents: the documents every comparison uses, one row each: current (not
-- superseded), published budgets (kind = budget), with the warning flags they carry. two current
-- published documents for one department-year (e.g. the same budget posted twice under two urls)
-- are both kept and both flagged 'duplicate_department_year'; `duplicate_of` names the one the
-- peer statistics and year-on-year changes use (fewest warnings, then latest fetched, then doc_id).
create or replace table comparison_documents as
with
source as (
    select *
    from current_documents
    where status = 'published' and kind = 'budget'
),

parser_warnings as (
    select doc_id, list_sort(list_distinct(list(code))) as codes
    from warnings
    group by doc_id
),

renamed as (
    select
        s.doc_id,
        s.file_sha256,
        s.jurisdiction,
        s.department,
        coalesce(s.department_canonical, s.department) as department_canonical,
        s.department_type,
        s.fiscal_year,
        s.scope,
        s.template,
        s.file_name,
        s.source_url,
        s.first_page,
        s.last_page,
        s.fetched_at,
        coalesce(s.quality_flags, []::varchar[]) as quality_flags,
        coalesce(w.codes, []::varchar[]) as parser_warnings
    from source as s
    left join parser_warnings as w using (doc_id)
),

-- a document without a department or year names no department-year: it duplicates nothing
ranked as (
    select
        *,
        case
            when department_canonical is null or fiscal_year is null then 1
            else count(*) over department_year
        end as department_year_documents,
        case
            when department_canonical is null or fiscal_year is null then doc_id
            else first_value(doc_id) over (
                department_year
                order by len(quality_flags) + len(parser_warnings), fetched_at desc nulls last, doc_id
            )
        end as preferred_doc_id
    from renamed
    window department_year as (partition by jurisdiction, department_canonical, fiscal_year, scope)
),

final as (
    select
        jurisdiction,
        department,
        department_canonical,
        department_type,
        fiscal_year,
        doc_id,
        scope,
        list_sort(list_distinct(
            quality_flags || parser_warnings
            || case when department_year_documents > 1 then ['duplicate_department_year'] else []::varchar[] end
        )) as warning_flags,
        case when doc_id <> preferred_doc_id then preferred_doc_id end as duplicate_of,
        file_sha256,
        file_name,
        source_url,
        first_page,
        last_page,
        template
    from ranked
)

select * from final
order by jurisdiction, department_canonical, fiscal_year, doc_id;
