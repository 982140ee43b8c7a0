-- fetch_log: every request the scraper made (budgetlens.scrape FetchLogEntry.to_row()),
-- appended; idempotent by (url, fetched_at).
create table if not exists fetch_log (
    url           varchar not null,
    jurisdiction  varchar,
    kind          varchar,        -- robots / listing / document / drop
    final_url     varchar,        -- after redirects
    status        integer,        -- http status, null when no response
    bytes         bigint,
    sha256        varchar,
    etag          varchar,
    last_modified varchar,
    fetched_at    timestamptz not null,
    elapsed_s     double,
    attempts      integer,
    outcome       varchar not null,  -- downloaded / unchanged / fetched / absent / http_error / timeout / …
    error         varchar,
    file_name     varchar,        -- from content-disposition or the url, as metadata only
    extra         varchar         -- json of any further keys the scraper sent
);
