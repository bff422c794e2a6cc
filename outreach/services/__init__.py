"""The service catalogue: the services the pairs go to with the women."""
