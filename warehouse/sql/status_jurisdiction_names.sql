-- the jurisdiction names the documents of each source print (documents.jurisdiction as parsed;
-- a document the parser could not read has only its source id there), most frequent first
select jurisdiction_hint as source_id, jurisdiction as name, count(*) as documents
from documents
where jurisdiction_hint is not null
  and jurisdiction is not null
  and jurisdiction <> jurisdiction_hint
group by jurisdiction_hint, jurisdiction
order by source_id, documents desc, name
