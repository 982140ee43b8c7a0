-- passages: the prose sentences that state a percentage (record.passages), for the quality check
-- prose_shares_match_tables. Records of parser versions before 0.3.1 (and truth records) give none.
create table if not exists passages (
    doc_id     varchar not null,
    passage_no integer not null,  -- position in record.passages (document order)
    page       integer,           -- the page (1-based, of the file) where the sentence begins
    text       varchar not null,  -- the sentence as printed, its lines joined without spaces
    part_doc_id varchar           -- the text part (doc_id) of a split publication it was read from; null: this file
);
