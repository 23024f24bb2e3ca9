"""Input to documents on disk: which documents an input yields, rendering and writing them together, and batches that redo only what is stale."""
