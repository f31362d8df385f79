"""Load stage: find each quarter's files, recognise each by its header, stage it as text.

- ``discover``: quarter folders, native layouts, staging tables (the entry point, ``load_drops``).
- ``sniff``: encoding, delimiter, preamble; ``values``: cell parsers shared by the adapters.
- ``adapters``: one module per source (GA4, HubSpot, Salesforce, …) behind one protocol.
- ``staging``, ``options``, ``urls``: staging of adapter frames, loading options, URL keys.
"""
