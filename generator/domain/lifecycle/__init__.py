"""A decision's life: its status from the dates the input holds, and the rules those dates follow."""
