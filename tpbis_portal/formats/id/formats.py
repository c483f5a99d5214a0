# Django's Indonesian formats, with the time zone named after a time of day.
DATETIME_FORMAT = "j N Y, H.i T"
SHORT_DATETIME_FORMAT = "d-m-Y H.i T"
