"""csdrill quiz commands."""
