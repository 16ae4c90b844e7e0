# French formats as the trade writes them: "26 novembre 2026", "14 h 30".
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H \\h i"
DATETIME_FORMAT = "j F Y, H \\h i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H \\h i"
MONTH_DAY_FORMAT = "j F"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\u202f"
NUMBER_GROUPING = 3
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %Hh%M",
    "%d/%m/%Y %H h %M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
]
