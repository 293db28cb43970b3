"""Sans-IO protocol code: request building, response parsing, decoders, retry decisions.

Nothing in this package performs I/O or imports a transport library.
"""
