"""Business rules, one module per resource; errors are ``AppError`` subclasses."""
