"""Fetching Arabic news from the web: safe, polite HTTP, feeds and sitemaps, per-item state.

`client.Fetcher` is the only thing that talks to the network; `discover` turns a source's
feeds and sitemaps into items; `state.StateStore` remembers validators and every item's fate
between runs; pages become articles in `marsad.extractors.web_page`. The flow is
flows/fetch_sources.py.
"""
