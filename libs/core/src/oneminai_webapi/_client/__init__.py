"""Client classes: shared methods, the async and sync drivers, and chat sessions."""
