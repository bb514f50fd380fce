"""State machines of the workflows app: one module per object kind."""
