"""Pytest fixtures for the 1min.AI emulator (work in progress)."""
