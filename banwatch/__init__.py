"""banwatch: the application shell (CLI, demo, errors, shared vocabularies, reference data, data files)."""
