insert into observations (
    doc_id, obs_index, field, place, label, printed, unit, value, canonical, page, x0, top, x1, bottom, part_doc_id
)
values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
