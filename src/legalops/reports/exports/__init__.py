"""Report files: Excel workbooks with native charts and board-pack PDFs, from plain data."""
