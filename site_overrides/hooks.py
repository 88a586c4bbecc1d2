"""MkDocs hooks: render generated/ from the data before each build, and rebuild when the data change."""

from __future__ import annotations

import json
import os
from pathlib import Path

from mkdocs.exceptions import PluginError

from checkup import paths
from checkup.site.rawblocks import InertBlocksExtension
from checkup.site.render import SITE_INFO, BuildError, render_docs


def on_config(config):
    docs = Path(config.docs_dir)
    if not os.environ.get("CHECKUP_RENDERED"):  # `checkup build` renders first and says so
        try:
            render_docs(paths.WORKING_DATA_DIR, docs)
        except BuildError as error:
            raise PluginError(str(error)) from None
    info = json.loads((docs / SITE_INFO).read_text(encoding="utf-8"))
    config.nav = info["nav"]
    config.site_name = info["site_name"]
    config.extra["checkup"] = info["extra"]
    config.markdown_extensions.append(InertBlocksExtension())  # data tables skip Markdown's HTML passes
    return config


def on_serve(server, config, builder):
    for folder in (paths.WORKING_DATA_DIR, paths.CONTENT_DIR, paths.SCHEMA_DIR):
        if folder.is_dir():
            server.watch(str(folder))
    return server
