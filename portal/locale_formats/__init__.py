"""One date and one date-time format per language (FORMAT_MODULE_PATH): German "14.01.2027, 10:00 Uhr",
English "14/01/2027, 10:00"; the long date of documents "14. Januar 2027" / "14 January 2027".
Templates name these formats (`|date:"SHORT_DATE_FORMAT"`), never a pattern of their own."""
