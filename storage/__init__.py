"""SQLite storage through sqlite-utils: one file, inspectable, exportable."""
