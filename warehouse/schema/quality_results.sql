-- quality_results: every failed data-quality expectation per document (written by the quality stage,
-- expectations/; replaced per document on every quality run and deleted with the document's rows on
-- reload). error-level rows quarantine the document; warning-level rows are the flags the comparison
-- tables carry. a document with no rows passed every expectation.
create table if not exists quality_results (
    doc_id      varchar not null,
    expectation varchar not null,  -- e.g. income_equals_expense (docs/quality.md)
    suite       varchar not null,  -- identities / crosscheck / plausibility / structure / completeness
    severity    varchar not null,  -- error / warning
    item        varchar,           -- what inside the document: '20601.total', 'totals.expense_total@prose#3'
    message     varchar not null,  -- what a person reads: '表1 收支总表 支出总计 2,579 万元 ≠ …'
    checked_at  timestamptz not null
);
