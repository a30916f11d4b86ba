"""The web explorer's files: jinja2 templates, static ES modules and the npm-installed vendor libraries.

No Python code lives here: `api/` serves these files.
"""
