"""Plain values shared by every layer: categories, events, devices, weeks, age groups.

Standard library only; no I/O, no toolkit, no database.
"""
