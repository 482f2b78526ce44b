"""The file format: front-matter text to typed articles and back."""
