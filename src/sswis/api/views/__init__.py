"""API views: thin translations between HTTP and the registry's services and selectors."""
