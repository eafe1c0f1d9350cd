"""Phone-free evenings: recurrence (rrule, exact across DST), calendar export, and (later) reminders and check-ins.

Pure: no database, no clock, no toolkit; storage and the scheduler hand values in.
"""
