-- every peer statistic, for the comparison and department pages.
select * from peer_statistics
