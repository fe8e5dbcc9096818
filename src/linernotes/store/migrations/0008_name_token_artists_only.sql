-- Search has its own index now (search/, kept in step through search_dirty); name_token keeps
-- only artist names, which the store itself looks up by word (combined pages). Titles were
-- most of its rows: some 35 per Discogs release, written on every ingest and never read.
DELETE FROM name_token WHERE entity_kind <> 'artist';
