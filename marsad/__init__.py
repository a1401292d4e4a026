"""marsad (مرصد): an observatory for Arabic news, built for disinformation analysts."""

__version__ = "0.1.0"
