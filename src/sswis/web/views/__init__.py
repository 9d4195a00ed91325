"""The pages of sswis. Each view validates input with a form, calls one service or selector, renders."""
