"""Where demo places are: every municipality of the reference data, with what a plausible address
and organisation name needs (genitive, postal code, phone area code, wellbeing services county).

Finnish genitives are irregular ("Joroinen" → "Joroisten", "Lahti" → "Lahden"), so they are
written out for the curated towns below, which also carry a weight (roughly the population in
thousands) to put more places in bigger towns. Other municipalities get places too, run by
village and regional associations, whose names need no genitive of the municipality.
"""

from dataclasses import dataclass


def _codes(text):
    return frozenset(text.split())


# code | genitive | "kaupunki" or "kunta" | postal code | weight | postal town when not the name
CURATED = """
091|Helsingin|kaupunki|00100|660
049|Espoon|kaupunki|02100|310
092|Vantaan|kaupunki|01300|245
245|Keravan|kaupunki|04200|38
186|Järvenpään|kaupunki|04400|45
858|Tuusulan|kunta|04300|39
543|Nurmijärven|kunta|01900|44
106|Hyvinkään|kaupunki|05800|47
638|Porvoon|kaupunki|06100|51
444|Lohjan|kaupunki|08100|46
257|Kirkkonummen|kunta|02400|41
927|Vihdin|kunta|03100|29
710|Raaseporin|kaupunki|10600|27|Tammisaari
753|Sipoon|kunta|04130|22|Sipoo
505|Mäntsälän|kunta|04600|21
434|Loviisan|kaupunki|07900|14
078|Hangon|kaupunki|10900|8
235|Kauniaisten|kaupunki|02700|10
853|Turun|kaupunki|20100|200
202|Kaarinan|kaupunki|20780|35
680|Raision|kaupunki|21200|25
734|Salon|kaupunki|24100|51
529|Naantalin|kaupunki|21100|20
423|Liedon|kunta|21420|20
445|Paraisten|kaupunki|21600|15
895|Uudenkaupungin|kaupunki|23500|15
430|Loimaan|kaupunki|32200|16
577|Paimion|kaupunki|21530|11
400|Laitilan|kaupunki|23800|8
322|Kemiönsaaren|kunta|25700|6|Kemiö
609|Porin|kaupunki|28100|83
684|Rauman|kaupunki|26100|39
214|Kankaanpään|kaupunki|38700|12
886|Ulvilan|kaupunki|28400|13
102|Huittisten|kaupunki|32700|10
050|Euran|kunta|27510|11
271|Kokemäen|kaupunki|32800|7
109|Hämeenlinnan|kaupunki|13100|68
694|Riihimäen|kaupunki|11100|29
061|Forssan|kaupunki|30100|17
165|Janakkalan|kunta|14200|16|Turenki
082|Hattulan|kunta|13880|9
433|Lopen|kunta|12700|8
837|Tampereen|kaupunki|33100|255
211|Kangasalan|kaupunki|36200|33
536|Nokian|kaupunki|37100|35
980|Ylöjärven|kaupunki|33470|33
418|Lempäälän|kunta|37500|24
604|Pirkkalan|kunta|33960|20
790|Sastamalan|kaupunki|38200|24
908|Valkeakosken|kaupunki|37600|20
020|Akaan|kaupunki|37800|17
562|Oriveden|kaupunki|35300|9
508|Mänttä-Vilppulan|kaupunki|35800|10|Mänttä
936|Virtain|kaupunki|34800|6
291|Kuhmoisten|kunta|17800|2
398|Lahden|kaupunki|15100|121
098|Hollolan|kunta|15870|23
560|Orimattilan|kaupunki|16300|16
111|Heinolan|kaupunki|18100|18
016|Asikkalan|kunta|17200|8|Vääksy
781|Sysmän|kunta|19700|4
286|Kouvolan|kaupunki|45100|79
285|Kotkan|kaupunki|48100|51
075|Haminan|kaupunki|49400|19
935|Virolahden|kunta|49900|3|Virojoki
405|Lappeenrannan|kaupunki|53100|73
153|Imatran|kaupunki|55100|25
700|Ruokolahden|kunta|56100|5
580|Parikkalan|kunta|59100|4
491|Mikkelin|kaupunki|50100|52
740|Savonlinnan|kaupunki|57100|31
593|Pieksämäen|kaupunki|76100|17
178|Juvan|kunta|51900|6
213|Kangasniemen|kunta|51200|5
507|Mäntyharjun|kunta|52700|7
297|Kuopion|kaupunki|70100|125
140|Iisalmen|kaupunki|74100|21
915|Varkauden|kaupunki|78200|20
749|Siilinjärven|kunta|71800|21
171|Joroisten|kunta|79600|5
420|Leppävirran|kunta|79100|9
778|Suonenjoen|kaupunki|77600|7
402|Lapinlahden|kunta|73100|9
167|Joensuun|kaupunki|80100|78
426|Liperin|kunta|83100|12
276|Kontiolahden|kunta|81100|15
260|Kiteen|kaupunki|82500|10
422|Lieksan|kaupunki|81700|10
541|Nurmeksen|kaupunki|75500|7
146|Ilomantsin|kunta|82900|5
309|Outokummun|kaupunki|83500|6
179|Jyväskylän|kaupunki|40100|148
992|Äänekosken|kaupunki|44100|18
410|Laukaan|kunta|41340|19
500|Muuramen|kunta|40950|10
182|Jämsän|kaupunki|42100|20
249|Keuruun|kaupunki|42700|9
729|Saarijärven|kaupunki|43100|9
931|Viitasaaren|kaupunki|44500|6
077|Hankasalmen|kunta|41520|5
850|Toivakan|kunta|41660|3
892|Uuraisten|kunta|41230|4
592|Petäjäveden|kunta|41900|4
172|Joutsan|kunta|19650|4
275|Konneveden|kunta|44300|3
601|Pihtiputaan|kunta|44800|4
226|Karstulan|kunta|43500|4
743|Seinäjoen|kaupunki|60100|65
408|Lapuan|kaupunki|62100|14
301|Kurikan|kaupunki|61300|20
233|Kauhavan|kaupunki|62200|15
232|Kauhajoen|kaupunki|61800|12
145|Ilmajoen|kunta|60800|12
010|Alavuden|kaupunki|63300|11
989|Ähtärin|kaupunki|63700|5
905|Vaasan|kaupunki|65100|68
499|Mustasaaren|kunta|65610|19
598|Pietarsaaren|kaupunki|68600|19
545|Närpiön|kaupunki|64200|9
399|Laihian|kunta|66400|8
287|Kristiinankaupungin|kaupunki|64100|6
946|Vöyrin|kunta|66600|6
272|Kokkolan|kaupunki|67100|48
217|Kannuksen|kaupunki|69100|5
236|Kaustisen|kunta|69600|4
849|Toholammin|kunta|69300|3
564|Oulun|kaupunki|90100|215
244|Kempeleen|kunta|90440|20
678|Raahen|kaupunki|92100|24
977|Ylivieskan|kaupunki|84100|15
425|Limingan|kunta|91900|10
305|Kuusamon|kaupunki|93600|15
494|Muhoksen|kunta|91500|9
208|Kalajoen|kaupunki|85100|12
535|Nivalan|kaupunki|85500|10
615|Pudasjärven|kaupunki|93100|7
139|Iin|kunta|91100|10
069|Haapajärven|kaupunki|85800|7
563|Oulaisten|kaupunki|86300|7
205|Kajaanin|kaupunki|87100|36
765|Sotkamon|kunta|88600|10
777|Suomussalmen|kunta|89600|7
290|Kuhmon|kaupunki|88900|8
578|Paltamon|kunta|88300|3
698|Rovaniemen|kaupunki|96100|65
851|Tornion|kaupunki|95400|21
240|Kemin|kaupunki|94100|20
320|Kemijärven|kaupunki|98100|7
148|Inarin|kunta|99800|7|Ivalo
758|Sodankylän|kunta|99600|8
261|Kittilän|kunta|99100|7
890|Utsjoen|kunta|99980|1
241|Keminmaan|kunta|94400|8
047|Enontekiön|kunta|99400|2|Hetta
478|Mariehamns|stad|22100|12|Mariehamn
170|Jomala|kommun|22150|5
060|Finströms|kommun|22410|3|Godby
"""

REGION_GENITIVES = {
    "01": "Uudenmaan",
    "02": "Varsinais-Suomen",
    "04": "Satakunnan",
    "05": "Kanta-Hämeen",
    "06": "Pirkanmaan",
    "07": "Päijät-Hämeen",
    "08": "Kymenlaakson",
    "09": "Etelä-Karjalan",
    "10": "Etelä-Savon",
    "11": "Pohjois-Savon",
    "12": "Pohjois-Karjalan",
    "13": "Keski-Suomen",
    "14": "Etelä-Pohjanmaan",
    "15": "Pohjanmaan",
    "16": "Keski-Pohjanmaan",
    "17": "Pohjois-Pohjanmaan",
    "18": "Kainuun",
    "19": "Lapin",
    "21": "Ahvenanmaan",
}
ALAND = "21"
UUSIMAA = "01"
# Uusimaa has four wellbeing services counties; Helsinki organises the services itself.
UUSIMAA_COUNTIES = {
    "Vantaan ja Keravan hyvinvointialue": ("092", "245"),
    "Länsi-Uudenmaan hyvinvointialue": (
        "049",
        "078",
        "149",
        "224",
        "235",
        "257",
        "444",
        "710",
        "755",
        "927",
    ),
    "Itä-Uudenmaan hyvinvointialue": ("018", "407", "434", "504", "616", "638", "753"),
    "Keski-Uudenmaan hyvinvointialue": ("106", "186", "505", "543", "611", "858"),
}
PARISH_NAMES = {
    "091": "Helsingin seurakuntayhtymä",
    "049": "Espoon seurakuntayhtymä",
    "092": "Vantaan seurakuntayhtymä",
    "837": "Tampereen seurakuntayhtymä",
    "853": "Turun ja Kaarinan seurakuntayhtymä",
}
PHONE_AREA_CODES = {
    "01": "09",
    "02": "02",
    "04": "02",
    "05": "03",
    "06": "03",
    "07": "03",
    "08": "05",
    "09": "05",
    "10": "015",
    "11": "017",
    "12": "013",
    "13": "014",
    "14": "06",
    "15": "06",
    "16": "06",
    "17": "08",
    "18": "08",
    "19": "016",
    "21": "018",
}
# First two digits of postal codes in each region, for towns without a curated code.
POSTAL_PREFIXES = {
    "01": ("04", "05", "07", "08", "10"),
    "02": ("21", "23", "24", "25", "27", "32"),
    "04": ("27", "28", "29", "38"),
    "05": ("12", "14", "30", "31"),
    "06": ("34", "35", "36", "37", "39"),
    "07": ("16", "17", "18", "19"),
    "08": ("46", "47", "49"),
    "09": ("54", "55", "56", "59"),
    "10": ("51", "52", "57", "58"),
    "11": ("71", "72", "73", "74", "77"),
    "12": ("81", "82", "83"),
    "13": ("41", "42", "43", "44"),
    "14": ("61", "62", "63"),
    "15": ("64", "65", "66"),
    "16": ("68", "69"),
    "17": ("84", "85", "86", "91", "92", "93"),
    "18": ("87", "88", "89"),
    "19": ("94", "95", "97", "98", "99"),
    "21": ("22",),
}
POSTAL_TOWNS = {"599": "Pedersöre"}
BILINGUAL = _codes(
    """
    091 049 092 235 638 434 710 078 753 257 149 755 853 445 322 905 499 598 545 287 946 272
    280 288 440 475 599 893 231 407
    """
)
SAMI_HOMELAND = _codes("148 890 047 758")
# Bigger towns have several postal codes; places spread over them.
CITY_WEIGHT = 40
CITY_POSTAL_STEPS = (0, 100, 200, 250, 300, 400, 500, 600, 700, 800)


@dataclass(frozen=True)
class Town:
    municipality: object
    region_genitive: str
    county: str
    genitive: str = ""  # empty: no organisations named after the town itself
    municipality_word: str = ""
    postal_code: str = ""
    postal_town: str = ""
    weight: float = 0.0
    swedish: bool = False

    @property
    def code(self):
        return self.municipality.code

    @property
    def region_code(self):
        return self.municipality.region_id

    @property
    def name(self):
        return self.postal_town

    @property
    def is_curated(self):
        return bool(self.genitive)

    @property
    def is_city(self):
        return self.weight >= CITY_WEIGHT

    @property
    def bilingual(self):
        return self.code in BILINGUAL

    @property
    def sami(self):
        return self.code in SAMI_HOMELAND

    @property
    def phone_area_code(self):
        return PHONE_AREA_CODES[self.region_code]

    @property
    def municipality_name(self):
        return f"{self.genitive} {self.municipality_word}" if self.genitive else ""

    @property
    def parish_name(self):
        if not self.genitive:
            return ""
        if self.swedish:
            return f"{self.genitive} församling"
        return PARISH_NAMES.get(self.code, f"{self.genitive} seurakunta")


def _curated_rows():
    rows = {}
    for line in CURATED.strip().splitlines():
        code, genitive, word, postal_code, weight, *postal_town = line.split("|")
        rows[code] = (genitive, word, postal_code, float(weight), "".join(postal_town))
    return rows


def _county(municipality):
    if municipality.region_id == UUSIMAA:
        for county, codes in UUSIMAA_COUNTIES.items():
            if municipality.code in codes:
                return county
        return ""
    if municipality.region_id == ALAND:
        return ""
    return f"{REGION_GENITIVES[municipality.region_id]} hyvinvointialue"


def _swedish_genitive(name):
    # Åland municipalities: "Saltviks kommun" but "Jomala kommun" (no -s after a vowel).
    return name if name[-1] in "aeiouyåäö" else f"{name}s"


def _derived_postal_code(municipality):
    prefixes = POSTAL_PREFIXES[municipality.region_id]
    number = int(municipality.code)
    return f"{prefixes[number % len(prefixes)]}{number % 9 + 1}00"


def build_towns(municipalities):
    """A Town for each municipality (a list in the order given)."""
    curated = _curated_rows()
    towns = []
    for municipality in municipalities:
        swedish = municipality.region_id == ALAND
        if municipality.code in curated:
            genitive, word, postal_code, weight, postal_town = curated[municipality.code]
            default_town = municipality.name_sv if swedish else municipality.name_fi
            details = {
                "genitive": genitive,
                "municipality_word": word,
                "postal_code": postal_code,
                "postal_town": postal_town or default_town,
                "weight": weight,
            }
        elif swedish:
            details = {
                "genitive": _swedish_genitive(municipality.name_sv),
                "municipality_word": "kommun",
                "postal_code": _derived_postal_code(municipality),
                "postal_town": municipality.name_sv,
                "weight": 1.0,
            }
        else:
            details = {
                "postal_code": _derived_postal_code(municipality),
                "postal_town": POSTAL_TOWNS.get(municipality.code, municipality.name_fi),
            }
        towns.append(
            Town(
                municipality=municipality,
                region_genitive=REGION_GENITIVES[municipality.region_id],
                county=_county(municipality),
                swedish=swedish,
                **details,
            )
        )
    return towns
