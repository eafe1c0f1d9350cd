"""Reports: the weekly report as plain data (pure) and, later, matplotlib figures built from it."""
