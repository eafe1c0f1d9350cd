"""When to tell the user what: evening reminders now; nudges during an evening and goal nudges later. Pure."""
