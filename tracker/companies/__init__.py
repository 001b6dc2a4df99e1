"""Companies: the curated registry, its file format, aliases and the matcher that finds them in text."""
