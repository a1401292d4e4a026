"""The Elasticsearch edge: the embedded local node, the client, the articles index."""
