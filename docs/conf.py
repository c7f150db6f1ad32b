"""Sphinx configuration: the markdown guides (MyST) and an API reference from numpydoc docstrings.

Build with warnings as errors: ``sphinx-build -W --keep-going -b html docs docs/_build/html``.
"""

import speechface

project = "speechface"
release = speechface.__version__
extensions = ["myst_parser", "sphinx.ext.autodoc", "numpydoc"]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build"]
numpydoc_show_class_members = False  # the reference lists the public methods itself
numpydoc_class_members_toctree = False
autodoc_default_options = {"inherited-members": False}
myst_heading_anchors = 3
html_theme = "alabaster"
suppress_warnings = ["myst.header"]
