-- withheld_figures: figures not published although the budget is: two printings of the figure
-- disagree (quality_results rows of severity 'withheld', docs/quality.md). `field` is the record
-- path, as in provenance: totals.three_public_total, function_lines[3].total.
create or replace view withheld_figures as
with withheld as (
    select doc_id, expectation, message as reason, split_part(item, '@', 1) as printed_field
    from quality_results
    where severity = 'withheld'
),

located as (
    select
        w.doc_id,
        case
            when w.printed_field like 'function:%' then 'function_lines[' || f.line_no || '].total'
            else w.printed_field
        end as field,
        w.expectation,
        w.reason
    from withheld as w
    left join function_lines as f
        on f.doc_id = w.doc_id and w.printed_field = 'function:' || f.code
)

select distinct doc_id, field, expectation, reason
from located
