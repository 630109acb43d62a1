"""`make bench`: a large data set in PostgreSQL and the server-side timings of the main pages.

`bench.generate` writes the data set through any Django connection (PostgreSQL COPY, or
executemany elsewhere, so the tests can run it on SQLite); `bench.measure` times pages and API
lists in-process with Django's test client; `bench.run` ties them together and writes
bench/results.md.
"""
