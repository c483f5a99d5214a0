"""National exports as background jobs: a user asks for one, the task worker writes the file
to storage, any app host hands it out to its owner until it expires."""
