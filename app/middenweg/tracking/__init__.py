"""Live tracking: probes that see the active window and idle time, merged into events and stored."""
