"""Publishing: Datasette serving kb.db with the banwatch plugin, and the timeline and graph exports."""
