"""Arabic: Django's formats, with the date-and-time format they lack (day/month/year, 24-hour clock)."""

DATE_FORMAT = "j F، Y"
SHORT_DATE_FORMAT = "d\u200f/m\u200f/Y"
DATETIME_FORMAT = "j F، Y، H:i"
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
