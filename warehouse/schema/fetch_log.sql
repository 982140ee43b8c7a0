-- fetch_log: every request the scraper made, appended; idempotent by (url, fetched_at).
create table if not exists fetch_log (
    url           varchar not null,
    jurisdiction  varchar,
    status        integer,        -- http status, null when no response
    bytes         bigint,
    sha256        varchar,
    etag          varchar,
    last_modified varchar,
    fetched_at    timestamptz not null,
    elapsed_s     double,
    attempts      integer,
    outcome       varchar not null,
    error         varchar,
    extra         varchar         -- json of any further keys the scraper sent
);
