"""Where demo places are: every municipality of the reference data, with what a plausible address
and organisation name needs (genitive, postal code, phone area code, wellbeing services county).

Finnish genitives are irregular ("Joroinen" → "Joroisten", "Lahti" → "Lahden"), so they are
written out for the curated towns of ``data/towns.csv``, which also carry a weight (roughly the
population in thousands) to put more places in bigger towns. Other municipalities get places
too, run by village and regional associations, whose names need no genitive of the
municipality. What regions need (genitives, phone area codes, postal codes, the counties of
Uusimaa) is in ``data/regions.toml``.
"""

from dataclasses import dataclass
from functools import cache

from kohtaamispaikat.demo import datafiles
from kohtaamispaikat.demo.datafiles import DemoDataError, read_csv, read_toml

ALAND = "21"
UUSIMAA = "01"
# Bigger towns have several postal codes; places spread over them.
CITY_WEIGHT = 40
CITY_POSTAL_STEPS = (0, 100, 200, 250, 300, 400, 500, 600, 700, 800)
TOWN_COLUMNS = ("code", "genitive", "municipality", "postal_code", "weight", "postal_town")
MUNICIPALITY_WORDS = ("kaupunki", "kunta", "stad", "kommun")


@dataclass(frozen=True)
class CuratedTown:
    genitive: str
    municipality_word: str
    postal_code: str
    weight: float
    postal_town: str  # empty: the municipality's name


@dataclass(frozen=True)
class Region:
    genitive: str
    phone_area_code: str
    postal_prefixes: tuple


@dataclass(frozen=True)
class TownData:
    curated: dict  # CuratedTown by municipality code
    regions: dict  # Region by region code
    uusimaa_counties: dict  # municipality codes by county name
    parish_names: dict  # by municipality code
    postal_towns: dict  # by municipality code
    bilingual: frozenset  # municipality codes
    sami_homeland: frozenset


def load_town_data(directory=None):
    """What ``data/towns.csv`` and ``data/regions.toml`` say; DemoDataError names any mistake."""
    return _load_town_data(directory or datafiles.DATA_DIR)


@cache
def _load_town_data(directory):
    document = read_toml(directory, "regions.toml")
    regions = {}
    regions_section = document.section("regions")
    for code, section in regions_section.subsections():
        regions[code] = Region(
            genitive=section.text("genitive"),
            phone_area_code=section.text("phone_area_code"),
            postal_prefixes=section.texts("postal_prefixes"),
        )
        section.done()
    counties = document.section("uusimaa_counties")
    parishes = document.section("parishes")
    postal_towns = document.section("postal_towns")
    languages = document.section("languages")
    data = TownData(
        curated=_curated_towns(directory),
        regions=regions,
        uusimaa_counties={county: counties.texts(county) for county in counties},
        parish_names={code: parishes.text(code) for code in parishes},
        postal_towns={code: postal_towns.text(code) for code in postal_towns},
        bilingual=frozenset(languages.texts("bilingual")),
        sami_homeland=frozenset(languages.texts("sami_homeland")),
    )
    for section in (document, regions_section, counties, parishes, postal_towns, languages):
        section.done()
    return data


def _curated_towns(directory):
    path, rows = read_csv(directory, "towns.csv", TOWN_COLUMNS, optional=("postal_town",))
    towns = {}
    for line, row in rows:
        where = f"{path}, line {line}"
        if row["code"] in towns:
            raise DemoDataError(f"{where}: the code {row['code']} is listed twice.")
        if row["municipality"] not in MUNICIPALITY_WORDS:
            raise DemoDataError(
                f"{where}: the municipality must be one of {', '.join(MUNICIPALITY_WORDS)}, "
                f'not "{row["municipality"]}".'
            )
        if not (len(row["postal_code"]) == 5 and row["postal_code"].isdigit()):
            raise DemoDataError(f"{where}: the postal code must be five digits.")
        try:
            weight = float(row["weight"])
        except ValueError:
            message = f'{where}: the weight must be a number, not "{row["weight"]}".'
            raise DemoDataError(message) from None
        towns[row["code"]] = CuratedTown(
            genitive=row["genitive"],
            municipality_word=row["municipality"],
            postal_code=row["postal_code"],
            weight=weight,
            postal_town=row["postal_town"],
        )
    return towns


@dataclass(frozen=True)
class Town:
    municipality: object
    region_genitive: str
    county: str
    phone_area_code: str
    genitive: str = ""  # empty: no organisations named after the town itself
    municipality_word: str = ""
    postal_code: str = ""
    postal_town: str = ""
    weight: float = 0.0
    swedish: bool = False
    bilingual: bool = False
    sami: bool = False
    parish_union: str = ""  # the parish's name where it is not "GENITIVE seurakunta"

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
    def municipality_name(self):
        return f"{self.genitive} {self.municipality_word}" if self.genitive else ""

    @property
    def parish_name(self):
        if not self.genitive:
            return ""
        if self.swedish:
            return f"{self.genitive} församling"
        return self.parish_union or f"{self.genitive} seurakunta"


def _county(municipality, data):
    if municipality.region_id == UUSIMAA:
        for county, codes in data.uusimaa_counties.items():
            if municipality.code in codes:
                return county
        return ""
    if municipality.region_id == ALAND:
        return ""
    return f"{data.regions[municipality.region_id].genitive} hyvinvointialue"


def _swedish_genitive(name):
    # Åland municipalities: "Saltviks kommun" but "Jomala kommun" (no -s after a vowel).
    return name if name[-1] in "aeiouyåäö" else f"{name}s"


def _derived_postal_code(municipality, region):
    prefixes = region.postal_prefixes
    number = int(municipality.code)
    return f"{prefixes[number % len(prefixes)]}{number % 9 + 1}00"


def build_towns(municipalities):
    """A Town for each municipality (a list in the order given)."""
    data = load_town_data()
    towns = []
    for municipality in municipalities:
        region = data.regions.get(municipality.region_id)
        if region is None:
            raise DemoDataError(
                f"{datafiles.DATA_DIR / 'regions.toml'}: no section "
                f"[regions.{municipality.region_id}] for the region of {municipality.name_fi}."
            )
        swedish = municipality.region_id == ALAND
        curated = data.curated.get(municipality.code)
        if curated is not None:
            default_town = municipality.name_sv if swedish else municipality.name_fi
            details = {
                "genitive": curated.genitive,
                "municipality_word": curated.municipality_word,
                "postal_code": curated.postal_code,
                "postal_town": curated.postal_town or default_town,
                "weight": curated.weight,
            }
        elif swedish:
            details = {
                "genitive": _swedish_genitive(municipality.name_sv),
                "municipality_word": "kommun",
                "postal_code": _derived_postal_code(municipality, region),
                "postal_town": municipality.name_sv,
                "weight": 1.0,
            }
        else:
            details = {
                "postal_code": _derived_postal_code(municipality, region),
                "postal_town": data.postal_towns.get(municipality.code, municipality.name_fi),
            }
        towns.append(
            Town(
                municipality=municipality,
                region_genitive=region.genitive,
                county=_county(municipality, data),
                phone_area_code=region.phone_area_code,
                swedish=swedish,
                bilingual=municipality.code in data.bilingual,
                sami=municipality.code in data.sami_homeland,
                parish_union=data.parish_names.get(municipality.code, ""),
                **details,
            )
        )
    return towns
