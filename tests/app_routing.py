"""Make AppTest route every run through app.py's st.navigation, as a real server does.

Streamlit treats a folder named pages/ beside the entry script as an old-style multipage app
until st.navigation has run once. A server clears that flag on its first run, but AppTest
resets it before every run, so switch_page would run a page file without app.py (and without
the shared sidebar). Used by tests/test_app.py and bench/page_rerun.py.
"""

from streamlit.runtime.pages_manager import PagesManager


def patched_pages_manager_init():
    """A PagesManager.__init__ that leaves the pages/ flag off."""
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    return init


def route_every_run_through_app_py() -> None:
    PagesManager.__init__ = patched_pages_manager_init()
