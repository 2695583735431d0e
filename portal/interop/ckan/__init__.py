"""A read-only CKAN Action API (`/api/3/action/<name>`) over the portal's catalogue.

`views` reads the request and writes CKAN's envelope; `actions` holds one function per action;
`dictize` turns models into CKAN's dictionaries; `query` reads CKAN's (Solr's) search syntax and
`search` answers it through the catalogue's selectors. See docs/api-ckan.md.
"""
