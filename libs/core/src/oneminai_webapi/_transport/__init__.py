"""Transports: thin drivers that send one attempt over aiohttp or requests."""
