"""The resident pages. Views only translate between HTTP and the services and selectors."""
