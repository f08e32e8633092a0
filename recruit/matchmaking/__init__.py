"""Matchmaking: the matching library at work in the app (matched jobs, matched graduates)."""
