"""A fake Azure for the snippet tests: the service behind the SDK and the CLI, and the rules and facts it answers by."""
