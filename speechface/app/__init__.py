"""``speechface serve``: a local web page to upload or record speech and see its emotion and faces.

Standard library only (``http.server``); the page is one HTML file with no
assets from the internet, so it works offline.
"""

from speechface.app.server import App, AppError, AppServer

__all__ = ["App", "AppError", "AppServer"]
