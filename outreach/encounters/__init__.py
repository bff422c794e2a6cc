"""Anonymous encounters: outreach meetings with women who do not want to be registered."""
