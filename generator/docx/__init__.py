"""Word packages: templates prepared and rendered in a sandbox within a budget, packages checked before use, written reproducibly, composed, and read back."""
