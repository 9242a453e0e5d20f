"""Date and time formats where Django's own differ from how they are written in Finland
(FORMAT_MODULE_PATH): Finland-Swedish writes 12.8.2026 like Finnish, and English pages say
"12 August 2026", never the US 08/12/2026, which a Finnish reader would take for 8 December.
Finnish uses Django's own formats."""
