# Cross-app tests use the fixtures of portal/conftest.py.
from portal.conftest import *  # noqa: F403
