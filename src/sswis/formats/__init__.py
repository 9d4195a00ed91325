"""Date and number formats where Django's own do not suit sswis's readers (``FORMAT_MODULE_PATH``).

English keeps ISO dates (``2026-12-06``): Django's English formats are American (``12/06/2026``), which
readers in most countries that work in English would take for 12 June. Swahili has no formats in
Django: East Africa writes day/month/year and ``1,234.5``. Arabic gets a date-and-time format, which
Django's Arabic formats lack. Every other language uses Django's formats for it.
"""
