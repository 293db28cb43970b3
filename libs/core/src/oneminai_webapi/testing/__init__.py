"""Local emulator of the 1min.AI API for offline tests (work in progress)."""
