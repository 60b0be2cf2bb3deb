"""csdrill exam commands."""
