"""Offline goals: progress against weekly and daily limits and an evenings target, and the evenings' streak."""
