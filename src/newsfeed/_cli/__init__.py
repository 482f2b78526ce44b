"""The ``newsfeed`` command line, built on the public API."""
