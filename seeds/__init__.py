"""The shipped catalog and keyword lists, as data; installed as the package ``fundwatch.seeds``
so that a wheel carries them (found with importlib.resources, never through ``__file__``)."""
