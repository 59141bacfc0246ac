"""Statistical audit of an index, as the JRC audits composite indicators (placeholder)."""
