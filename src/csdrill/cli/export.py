"""csdrill export commands."""
