"""The four business domains. Each may import another only through its ``interface``."""
