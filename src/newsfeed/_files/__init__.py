"""The file system: reading one file within limits, writing one atomically, listing a folder."""
