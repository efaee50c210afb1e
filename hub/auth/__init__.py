"""Sign-on and authorization: the hub as OAuth 2.0 authorization server and OpenID provider.

* ``keys``: the signing keys (JWKS), kept sealed in the graph and rotated;
* ``tokens``: RFC 9068 access tokens and ID tokens, issued and verified;
* ``clients``: the client registry (partner agencies, relying platforms);
* ``accounts``: people who sign in, and the subtrees their posts give them;
* ``state``: what lives in Redis (codes, sessions, rate limits, revocations);
* ``server``: authlib's grants and endpoints behind one Starlette adapter;
* ``pages``: the login and consent pages;
* ``bearer``: a request's token turned into a ``schema.Caller``.
"""
