"""Blocks this app adds to other apps' pages (registered from OpenlistConfig.ready)."""
