import pytest
import django.test
from django.db import connections

_orig_setup = django.test.TransactionTestCase._fixture_setup.__func__
_orig_teardown = django.test.TransactionTestCase._fixture_teardown

@classmethod
def _s(cls):
    c = connections["default"]
    import asyncio; print("\nSETUP conn", asyncio._get_running_loop() is not None, id(c), hasattr(c, "_test_serialized_contents"))
    return _orig_setup(cls)
def _t(self):
    c = connections["default"]
    import asyncio; print("\nTEARDOWN conn", asyncio._get_running_loop() is not None, id(c), hasattr(c, "_test_serialized_contents"))
    return _orig_teardown(self)
django.test.TransactionTestCase._fixture_setup = _s
django.test.TransactionTestCase._fixture_teardown = _t
