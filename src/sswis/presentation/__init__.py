"""What the pages and the reports show, shared by the delivery apps (``web``, ``reports``): the figures of
the dashboard picked out of the indicator rows, numbers as the reader's language writes them, and the
charts and maps drawn on the server as SVG. No view, no URL, no query of its own: it formats what the
domain apps' selectors return."""
