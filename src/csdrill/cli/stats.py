"""csdrill stats commands."""
