"""Evidence base pages: the library, imports, analysis (specialisms, productivity, gaps) and open data."""
