"""Middenweg: a desktop companion for the golden middle way between online and offline life.

Importing the package does no work: no files, no display, no database. See ``bootstrap`` for wiring.
"""

__version__ = "0.1.0"
