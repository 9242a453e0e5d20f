"""Reading the demo data files in ``data/`` so that a mistake in one is reported the way its
editor, who may not write Python, can fix it: the file, the section or line, and what is wrong.

Every key a section holds must be read: a misspelt key ("intro" for "intros") is an error
rather than a word silently left out of the demo content.
"""

import csv
import string
import tomllib
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
_REQUIRED = object()


class DemoDataError(ValueError):
    """A demo data file is missing, malformed, or lacks what the demo generator needs."""


def read_toml(directory, name):
    path = Path(directory) / name
    try:
        with path.open("rb") as file:
            values = tomllib.load(file)
    except FileNotFoundError:
        raise DemoDataError(f"{path}: the demo data file is missing.") from None
    except tomllib.TOMLDecodeError as error:
        raise DemoDataError(f"{path}: not valid TOML: {error}.") from None
    except UnicodeDecodeError:
        raise DemoDataError(f"{path}: not UTF-8 text; save the file as UTF-8.") from None
    return Section(values, path)


def read_csv(directory, name, columns, optional=()):
    """The rows of a CSV file with a header row of ``columns`` as (line number, dict) pairs;
    lines starting with "#" are comments. Only the columns in ``optional`` may be empty."""
    path = Path(directory) / name
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise DemoDataError(f"{path}: the demo data file is missing.") from None
    except UnicodeDecodeError:
        raise DemoDataError(f"{path}: not UTF-8 text; save the file as UTF-8.") from None
    numbered = [(number, line) for number, line in enumerate(lines, 1) if _is_data_line(line)]
    rows = list(csv.reader(line for _number, line in numbered))
    if not rows or rows[0] != list(columns):
        raise DemoDataError(
            f"{path}: the first line that is not a comment must be the header {','.join(columns)}."
        )
    result = []
    for (number, _line), row in zip(numbered[1:], rows[1:], strict=True):
        if len(row) != len(columns):
            raise DemoDataError(
                f"{path}, line {number}: {len(row)} fields where {len(columns)} are expected "
                f"({', '.join(columns)})."
            )
        values = dict(zip(columns, (value.strip() for value in row), strict=True))
        for column in columns:
            if not values[column] and column not in optional:
                raise DemoDataError(f"{path}, line {number}: the {column} is empty.")
        result.append((number, values))
    return path, result


def _is_data_line(line):
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


class Section:
    """One table of a TOML file. Readers name the file and the section when they fail."""

    def __init__(self, values, path, name=""):
        self.values = values
        self.path = path
        self.name = name
        self._read = set()

    def error(self, message, key=None):
        location = f"{self.path}, [{self.name}]" if self.name else str(self.path)
        if key is not None:
            location = f"{location} {key}" if self.name else f"{location}, {key}"
        raise DemoDataError(f"{location}: {message}")

    def __iter__(self):
        """The section's keys, in the file's order."""
        return iter(list(self.values))

    def _get(self, key, default):
        self._read.add(key)
        if key in self.values:
            return self.values[key]
        if default is _REQUIRED:
            self.error("missing.", key)
        return default

    def _absent(self, key, default):
        """An optional key left out: the reader returns the default as it is."""
        self._read.add(key)
        return key not in self.values and default is not _REQUIRED

    def value(self, key, default=_REQUIRED):
        """The value as the file has it, for readers of structures of their own."""
        return self._get(key, default)

    def section(self, key, default=_REQUIRED):
        if self._absent(key, default):
            return default
        value = self._get(key, default)
        if not isinstance(value, dict):
            self.error("must be a section ([...]), not a single value.", key)
        return Section(value, self.path, f"{self.name}.{key}" if self.name else key)

    def text(self, key, default=_REQUIRED, placeholders=None):
        value = self._get(key, default)
        if not isinstance(value, str):
            self.error('must be a text in "double quotes".', key)
        if placeholders is not None:
            self._check_placeholders(value, placeholders, key)
        return value

    def texts(self, key, default=_REQUIRED, placeholders=None):
        """A non-empty list of texts, as a tuple (the generator picks one at random)."""
        if self._absent(key, default):
            return default
        value = self._get(key, default)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.error('must be a list of texts: ["…", "…"].', key)
        if not value:
            self.error("must not be empty: the demo generator picks one of them.", key)
        if placeholders is not None:
            for item in value:
                self._check_placeholders(item, placeholders, key)
        return tuple(value)

    def number(self, key, default=_REQUIRED, low=0, high=None):
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error("must be a number.", key)
        self._check_range(value, low, high, key)
        return value

    def flag(self, key, default=_REQUIRED):
        value = self._get(key, default)
        if not isinstance(value, bool):
            self.error("must be true or false.", key)
        return value

    def weights(self, key, default=_REQUIRED, high=None):
        """A table of names and numbers as (name, number) pairs, in the file's order."""
        if self._absent(key, default):
            return default
        value = self._get(key, default)
        if not isinstance(value, dict) or not value:
            self.error("must be a non-empty table of names and numbers: { name = 1, … }.", key)
        for name, number in value.items():
            if isinstance(number, bool) or not isinstance(number, int | float):
                self.error(f'"{name}" must have a number.', key)
            self._check_range(number, 0, high, f"{key}.{name}")
        return tuple(value.items())

    def tables(self, key, default=_REQUIRED):
        """A list of inline tables ({ a = 1, b = "x" }, …) as Sections."""
        if self._absent(key, default):
            return default
        value = self._get(key, default)
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.error("must be a list of tables: [{ … }, { … }].", key)
        if not value:
            self.error("must not be empty.", key)
        return [
            Section(
                item, self.path, f"{self.name}.{key}[{index}]" if self.name else f"{key}[{index}]"
            )
            for index, item in enumerate(value, 1)
        ]

    def subsections(self):
        """Every key of this section as a Section of its own, in the file's order."""
        return [(key, self.section(key)) for key in self.values]

    def done(self):
        """Fail on keys that no reader asked for: most likely a misspelt name."""
        unknown = [key for key in self.values if key not in self._read]
        if unknown:
            names = ", ".join(unknown)
            self.error(f"unknown {'keys' if len(unknown) > 1 else 'key'} {names} (misspelt?).")

    def _check_range(self, value, low, high, key):
        if value < low or (high is not None and value > high):
            upper = f" and {high}" if high is not None else " or more"
            self.error(f"must be between {low}{upper}, not {value}.", key)

    def _check_placeholders(self, text, allowed, key):
        try:
            fields = {
                field for _, field, _, _ in string.Formatter().parse(text) if field is not None
            }
        except ValueError:
            self.error(f'has an unmatched {{ or }} in "{text}".', key)
        unknown = fields - set(allowed)
        if unknown:
            known = ", ".join(f"{{{name}}}" for name in allowed) or "none"
            self.error(
                f'"{text}" has {", ".join(f"{{{name}}}" for name in sorted(unknown))}; '
                f"the placeholders known here: {known}.",
                key,
            )
