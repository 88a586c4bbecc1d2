"""What the site build and the site engine's hook (site_overrides/hooks.py) tell each other.

The hook runs inside the engine's processes; it imports this module, which imports nothing
of the package's own, so an engine process that only builds rendered docs loads no renderer.
"""

SITE_INFO = ".checkup.json"  # written by the render: navigation and site settings; a dot file, never published
SEARCH_INDEX = "search/search_index.json"
# The engine may run as several processes, each building a share of the pages ("1/2", "2/2").
SHARE_VARIABLE = "CHECKUP_BUILD_SHARE"
SHARE_FILE = ".checkup-share.json"  # written by the hook: the pages in order and the ones it built
GO_VARIABLE = "CHECKUP_BUILD_WAIT"  # the hook waits for GO_LINE on its input before reading the docs
GO_LINE = "go\n"
# Set when the docs folder is the build's own scratch folder, thrown away after the build and
# never changed in place: the hook links its files into the new site instead of copying them.
SCRATCH_DOCS_VARIABLE = "CHECKUP_DOCS_SCRATCH"
