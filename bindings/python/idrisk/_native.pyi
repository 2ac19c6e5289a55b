# Type stub of the cffi-generated extension (built by _build.py). `ffi` and `lib` are
# dynamic cffi objects; idrisk/__init__.py wraps them in typed Python.
from typing import Any

ffi: Any
lib: Any
