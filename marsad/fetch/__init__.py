"""Fetching Arabic news from the web: safe, polite HTTP, feeds and sitemaps, per-item state.

`client.Fetcher` is the only thing that talks to the network; `discover` turns a source's
feeds and sitemaps into items; `state.StateStore` remembers validators and every item's fate
between runs; `page` turns a fetched page into an `Article`. The flow is in flows/fetch_sources.
"""
