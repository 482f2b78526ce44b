"""Many articles at once: the Feed, its query criteria, and loading a folder."""
