"""Words and sentences the demo data is built from: names, streets, texts in Finnish (and Swedish
for Åland). Invented names only; the public bodies (cities, parishes, wellbeing services counties)
are named generically, as every municipality has one.
"""

from dataclasses import dataclass


def _words(text):
    """A comma-separated word list as a tuple (keeps long lists compact and readable)."""
    return tuple(word.strip() for word in text.split(",") if word.strip())


FIRST_NAMES = _words(
    """
    Aino, Anna, Anne, Anu, Elina, Emilia, Hanna, Heidi, Helena, Irma, Jenni, Johanna, Kaisa,
    Katja, Kirsi, Laura, Leena, Liisa, Maarit, Maria, Marjo, Minna, Noora, Outi, Paula,
    Pirjo, Riikka, Sanna, Satu, Sirpa, Susanna, Tiina, Ulla, Anna-Liisa, Ari, Antti, Eero,
    Heikki, Janne, Jari, Juha, Jukka, Kari, Markku, Matti, Mikko, Pekka, Petri, Sami, Timo,
    Tuomas, Ville, Olli, Lauri, Joonas, Veikko, Juho-Pekka
    """
)
LAST_NAMES = _words(
    """
    Ahonen, Heikkinen, Heinonen, Hiltunen, Hämäläinen, Järvinen, Kinnunen, Koskinen,
    Laaksonen, Laine, Lehtinen, Lehtonen, Leinonen, Manninen, Mattila, Miettinen, Mäkelä,
    Mäkinen, Niemi, Nieminen, Ojala, Pitkänen, Rantanen, Räsänen, Salminen, Salo, Savolainen,
    Toivonen, Tuominen, Turunen, Virtanen, Väisänen, Korhonen, Kettunen, Huttunen,
    Karjalainen, Lindqvist, Saarinen, Pesonen, Kärkkäinen, Nurmi, Peltonen, Honkanen, Vainio
    """
)
SWEDISH_FIRST_NAMES = _words(
    """
    Anna, Annika, Camilla, Ebba, Johanna, Linda, Maria, Sara, Sofia, Ulrika, Anders, Björn,
    Erik, Fredrik, Johan, Mats, Niklas, Peter, Tomas, Jonas
    """
)
SWEDISH_LAST_NAMES = _words(
    """
    Eriksson, Jansson, Karlsson, Lindholm, Mattsson, Sundblom, Gustafsson, Holmström,
    Lundberg, Söderlund, Nordlund, Fagerström
    """
)

CITY_STREETS = _words(
    """
    Kauppakatu, Kirkkokatu, Asemakatu, Kalevankatu, Puistokatu, Torikatu, Rantakatu,
    Koulukatu, Kirjastokatu, Keskuskatu, Satamakatu, Sairaalakatu, Hallituskatu,
    Läntinen Puistokatu, Kansakoulukatu, Vapaudenkatu, Väinönkatu, Sepänkatu, Tehtaankatu,
    Rautatienkatu, Pohjoinen Rantakatu, Kylpyläntie, Harjutie, Keskussairaalantie, Opintie,
    Kotkantie, Ailakinkatu, Kangaskatu
    """
)
VILLAGE_STREETS = _words(
    """
    Kirkkotie, Koulutie, Rantatie, Myllytie, Kyläntie, Puistotie, Urheilutie, Mäntytie,
    Koivutie, Keskustie, Kauppatie, Asematie, Seurantalontie, Kuusitie, Peltotie, Rinnetie,
    Sepäntie, Meijeritie, Kanttorintie, Pappilantie, Nuottatie
    """
)
SWEDISH_STREETS = _words(
    """
    Torggatan, Storagatan, Skolgatan, Strandgatan, Nygatan, Parkgatan, Köpmansgatan,
    Norra Esplanadgatan, Ålandsvägen, Kyrkvägen, Byvägen, Skolvägen
    """
)
# Village associations are named in the genitive: every village here ends in -kylä (+ n).
VILLAGES = _words(
    """
    Rantakylä, Mäkikylä, Salmenkylä, Niemenkylä, Koskenkylä, Kirkonkylä, Harjunkylä,
    Lahdenkylä, Kankaankylä, Vaarankylä, Ahokylä, Lehtokylä, Hirvikylä, Pohjoiskylä, Itäkylä,
    Länsikylä, Alakylä, Yläkylä, Suonkylä
    """
)
SWEDISH_VILLAGES = _words(
    """
    Kyrkby, Västerby, Österby, Norrby, Söderby, Strandby, Bergby, Näsby
    """
)
VENUE_BUILDINGS = (
    "Järjestötalo",
    "Pääkirjasto, kokoustila",
    "Seurakuntakeskus",
    "Hyvinvointikeskus",
    "Kansalaisopisto, auditorio",
    "Kulttuuritalo",
    "Nuorisotalo",
    "Perhekeskus",
)
TOWN_HALL = {"kaupunki": "Kaupungintalo", "kunta": "Kunnantalo"}

ACCESSIBLE_NOTES = (
    "Kynnyksetön sisäänkäynti pääovesta.",
    "Hissi toiseen kerrokseen, ovet aukeavat painonapista.",
    "Liikuntarajoitteisten pysäköintipaikka oven vieressä.",
    "Sisäänkäynti pihan puolelta, ovessa ovikello.",
    "Tilassa on pyörätuolilla käytettävä wc ja lepotila.",
)
INACCESSIBLE_NOTES = (
    "Sisäänkäynnillä kolme porrasta, ei luiskaa.",
    "Tila on toisessa kerroksessa, rakennuksessa ei ole hissiä.",
    "Ulko-ovella korkea kynnys; henkilökunta auttaa tarvittaessa.",
)
HOURS_NOTES = (
    "Myös sopimuksen mukaan.",
    "Ryhmille myös muina aikoina sopimuksen mukaan.",
    "Tarkista poikkeusaukiolot ennen tuloa.",
    "Ovet suljetaan puoli tuntia ennen sulkemisaikaa.",
)
SWEDISH_HOURS_NOTES = ("Även enligt överenskommelse.", "Grupper även enligt överenskommelse.")
SEASONAL_HOURS_NOTE = "Kesäaikaan (1.6.–15.8.) supistetut aukioloajat."


@dataclass(frozen=True)
class SpecialDay:
    reason: str
    opens: str
    closes: str
    when: str = ""  # "christmas_market", "independence_day", or empty for any day soon


@dataclass(frozen=True)
class ExceptionReasons:
    christmas: tuple
    midsummer: str
    renovation: tuple
    training_day: str
    special_days: tuple


FINNISH_REASONS = ExceptionReasons(
    christmas=("Joulutauko", "Suljettu joulun ja loppiaisen välisen ajan"),
    midsummer="Juhannus",
    renovation=("Remontti", "Tilojen remontti", "Suljettu remontin ajan"),
    training_day="Henkilökunnan koulutuspäivä",
    special_days=(
        SpecialDay("Avoimet ovet", "12:00", "18:00"),
        SpecialDay("Joulumyyjäiset", "10:00", "14:00", "christmas_market"),
        SpecialDay("Itsenäisyyspäivän juhlakahvit", "12:00", "15:00", "independence_day"),
        SpecialDay("Syystapahtuma", "16:00", "20:00"),
        SpecialDay("Vapaaehtoisten kiitosilta", "17:00", "21:00"),
    ),
)
SWEDISH_REASONS = ExceptionReasons(
    christmas=("Jullov",),
    midsummer="Midsommar",
    renovation=("Renovering",),
    training_day="Personalens utbildningsdag",
    special_days=(
        SpecialDay("Öppet hus", "12:00", "18:00"),
        SpecialDay("Julbasar", "10:00", "14:00", "christmas_market"),
    ),
)


@dataclass(frozen=True)
class Texts:
    """The words of one kind of place in one language."""

    prefixes: tuple  # (prefix, weight)
    proper_names: tuple
    standalone_names: tuple = ()
    intros: tuple = ()
    middles: tuple = ()
    closers: tuple = ()
    price_notes: tuple = ()  # (note, free of charge)
    local_associations: tuple = ()
    regional_associations: tuple = ()


@dataclass(frozen=True)
class PlaceKind:
    key: str
    weight: int
    audiences: tuple  # always these
    optional_audiences: tuple  # (slug, probability)
    organisers: tuple  # (role, weight); roles: see places.ORGANISER_ROLES
    schedules: tuple  # alternative weekly schedules: ((weekdays), opens, closes) ranges
    amenities: tuple
    finnish: Texts
    swedish: Texts | None = None
    evening_extras: tuple = ()  # (probability, ranges) added to a schedule
    summer_schedules: tuple = ()  # seasonal ranges replacing the regular ones in summer
    summer_probability: float = 0.0
    seasonal_only: bool = False
    accessibility: float = 0.65
    online_probability: float = 0.0
    extra_languages: tuple = ()  # (code, probability)
    small_town_boost: float = 1.0  # weight multiplier outside the bigger towns
    city_factor: float = 1.0  # weight multiplier in the bigger towns
    closes_on_holidays: float = 0.88


FAMILY = PlaceKind(
    key="family",
    weight=20,
    audiences=("lapsiperheet",),
    optional_audiences=(("lapset", 0.5), ("maahanmuuttajat", 0.1)),
    organisers=(("association", 4), ("parish", 2), ("municipality", 2), ("county", 2)),
    schedules=(
        (((1, 3, 5), "09:00", "12:00"),),
        (((2, 4), "09:30", "12:30"),),
        (((1, 2, 3, 4), "09:00", "11:30"),),
        (((3,), "09:00", "12:00"), ((5,), "10:00", "13:00")),
        (((1, 4), "09:30", "12:00"),),
    ),
    evening_extras=(
        (0.3, (((2,), "17:00", "19:30"),)),
        (0.15, (((6,), "10:00", "13:00"),)),
    ),
    summer_schedules=((((2, 4), "10:00", "12:00"),), (((3,), "09:30", "12:00"),)),
    summer_probability=0.15,
    amenities=("coffee", "games", "peer_support", "clubs", "guidance", "child_minding", "events"),
    finnish=Texts(
        prefixes=(
            ("Perhekahvila", 6),
            ("Perhekerho", 2),
            ("Vauvakahvila", 1),
            ("Perheolohuone", 2),
            ("Avoin päiväkoti", 1),
            ("Perhetalo", 1),
        ),
        proper_names=_words(
            """
            Nuppu, Tenava, Pesä, Pikkuväki, Nappula, Hali, Muksula, Vekara, Taapero, Pilke,
            Touhu, Tipu, Omppu, Sirkku, Peikko, Vipinä, Naperot, Leppis, Pilvilinna, Satumaa,
            Kotipesä, Mustikka, Puolukka, Hippu, Tassu, Myllerrys, Simpukka, Kuplat, Karuselli,
            Rusina
            """
        ),
        standalone_names=("Perheiden olohuone", "Iltaperhekahvila", "Isä–lapsi-kerho"),
        intros=(
            "{name} on avoin kohtaamispaikka vauvaperheille ja leikki-ikäisten lasten vanhemmille.",
            "{name} kokoaa lapsiperheet yhteen leikkimään, juttelemaan ja jakamaan arjen "
            "kuulumisia.",
            "{name} on matalan kynnyksen paikka, jonne voi tulla lapsen kanssa ilman "
            "ilmoittautumista.",
            "Tervetuloa mukaan! {name} on lapsiperheiden oma olohuone keskellä arkea.",
        ),
        middles=(
            "Lapsille on leluja, lukunurkka ja tilaa touhuta, aikuisille kahvia ja seuraa.",
            "Paikalla on ohjaaja, jolta voi kysyä neuvoa unesta, ruokailusta tai jaksamisesta.",
            "Kerran kuussa vieraana on neuvolan tai perheneuvolan työntekijä.",
            "Ohjelmassa on laululeikkejä, vauvahierontaa ja askartelua vaihtuvin teemoin.",
            "Vanhemmat voivat vaihtaa vinkkejä ja sopia yhteisiä ulkoilutreffejä.",
            "Kirpputorihyllystä voi vaihtaa lasten vaatteita ja kirjoja.",
        ),
        closers=(
            "Voit tulla ja lähteä silloin kun teille sopii.",
            "Lastenvaunuille on säilytystila eteisessä.",
            "Myös isovanhemmat ja muut läheiset ovat tervetulleita.",
        ),
        price_notes=(
            ("", True),
            ("", True),
            ("Kahvi ja pulla 1 €", True),
            ("Välipala 2 €/perhe", True),
            ("Vapaaehtoinen kahvimaksu", True),
            ("Kerhomaksu 10 €/kausi", False),
        ),
        local_associations=(
            "{gen} Perhetupa ry",
            "{gen} Perheyhdistys ry",
            "{gen} Lapsiperheiden tuki ry",
        ),
        regional_associations=("{region_gen} Perhetyö ry",),
    ),
    swedish=Texts(
        prefixes=(("Familjecaféet", 3), ("Familjeklubben", 1), ("Öppna förskolan", 1)),
        proper_names=_words("Knoppen, Humlan, Ankan, Myran, Snäckan, Tittut, Trollet"),
        intros=(
            "{name} är en öppen mötesplats för barnfamiljer med små barn.",
            "På {name} träffas föräldrar och barn för lek, fika och samtal.",
        ),
        middles=(
            "Barnen leker medan de vuxna pratar över en kopp kaffe.",
            "En ledare finns på plats och svarar gärna på frågor om vardagen med barn.",
            "Vi sjunger, pysslar och firar årstidernas fester tillsammans.",
        ),
        closers=("Ingen anmälan behövs, kom när det passar er.",),
        price_notes=(("", True), ("Kaffe 1 €", True)),
        local_associations=("{gen} Familjeförening rf",),
        regional_associations=("Ålands Familjeförening rf",),
    ),
)

YOUTH = PlaceKind(
    key="youth",
    weight=10,
    audiences=("nuoret",),
    optional_audiences=(("nuoret-aikuiset", 0.3), ("lapset", 0.2)),
    organisers=(("municipality", 5), ("association", 2), ("parish", 1)),
    schedules=(
        (((1, 2, 3, 4), "14:00", "20:00"), ((5,), "18:00", "00:30")),
        (((2, 3, 4), "15:00", "21:00"), ((5,), "18:00", "00:30"), ((6,), "16:00", "22:00")),
        (((1, 2, 3, 4, 5), "14:00", "20:00"),),
        (((1, 3), "15:00", "20:00"), ((5,), "17:00", "23:00")),
    ),
    amenities=("games", "internet", "events", "clubs", "exercise", "guidance", "coffee"),
    accessibility=0.6,
    closes_on_holidays=0.6,
    extra_languages=(("en", 0.2),),
    finnish=Texts(
        prefixes=(
            ("Nuorisokahvila", 4),
            ("Nuorisotila", 3),
            ("Nuorten olohuone", 2),
            ("Nuokkari", 1),
        ),
        proper_names=_words(
            """
            Nuotta, Vintti, Soihtu, Kellari, Paja, Kulma, Luola, Pulssi, Vire, Kipinä, Boksi,
            Tasku, Hehku, Messi, Meininki, Väylä, Spotti, Loukko, Räppänä, Ruuti
            """
        ),
        intros=(
            "{name} on nuorten oma olohuone, jossa voi hengailla kavereiden kanssa koulun jälkeen.",
            "{name} on päihteetön kohtaamispaikka 13–17-vuotiaille nuorille.",
            "{name} on paikka, jossa voi pelata, kuunnella musiikkia tai vain olla.",
        ),
        middles=(
            "Paikalla on aina nuoriso-ohjaaja, jolle voi jutella luottamuksellisesti.",
            "Tarjolla on biljardia, konsolipelejä, lautapelejä ja välipalaa.",
            "Perjantai-iltaisin järjestetään teemailtoja, turnauksia ja leffailtoja.",
            "Nuoret suunnittelevat itse osan toiminnasta nuorisotoimikunnassa.",
            "Bänditilaa ja studiota voi varata ohjaajalta.",
        ),
        closers=(
            "Tiloissa noudatetaan turvallisemman tilan periaatteita.",
            "Tule sellaisena kuin olet!",
        ),
        price_notes=(("", True), ("", True), ("Välipala 1 €", True)),
        local_associations=("{gen} Nuorisoseura ry", "{gen} Nuorten Tuki ry"),
        regional_associations=("{region_gen} Nuorisotyö ry",),
    ),
    swedish=Texts(
        prefixes=(("Ungdomsgården", 2), ("Ungdomscaféet", 1)),
        proper_names=_words("Fyren, Gnistan, Kuren, Basen, Vinden"),
        intros=("{name} är ungdomarnas egen mötesplats efter skolan.",),
        middles=(
            "Här kan du spela biljard, lyssna på musik eller bara hänga med kompisar.",
            "En ungdomsledare finns alltid på plats.",
        ),
        closers=("Välkommen som du är!",),
        price_notes=(("", True),),
        local_associations=("{gen} Ungdomsförening rf",),
        regional_associations=("Ålands Ungdomsnätverk rf",),
    ),
)

VILLAGE = PlaceKind(
    key="village",
    weight=9,
    audiences=("kaikille",),
    optional_audiences=(("ikaihmiset", 0.4), ("lapsiperheet", 0.3), ("kesaasukkaat", 0.3)),
    organisers=(("village", 6), ("association", 1)),
    schedules=(
        (((3,), "18:00", "21:00"),),
        (((3,), "18:00", "21:00"), ((7,), "12:00", "15:00")),
        (((4,), "10:00", "13:00"), ((2,), "18:00", "20:30")),
        (((1,), "17:00", "20:00"), ((4,), "09:30", "12:00")),
    ),
    summer_schedules=((((2, 3, 4, 5, 6, 7), "11:00", "16:00"),), (((6, 7), "11:00", "17:00"),)),
    summer_probability=0.35,
    amenities=("coffee", "events", "exercise", "crafts", "volunteering", "internet", "clubs"),
    accessibility=0.45,
    small_town_boost=2.5,
    city_factor=0.15,
    finnish=Texts(
        prefixes=(
            ("Kylätalo", 5),
            ("Seurantalo", 2),
            ("Nuorisoseurantalo", 1),
            ("Kyläkoulu", 1),
        ),
        proper_names=_words(
            """
            Koivula, Mäntylä, Harjula, Kuusela, Rantala, Kivelä, Mäkelä, Ahola, Peltola,
            Niemelä, Lehtola, Honkala, Tuomela, Pihlajamäki, Vaarala, Kotiranta, Kallioniemi,
            Riihelä, Leppälä, Koskela
            """
        ),
        intros=(
            "{name} on kyläläisten yhteinen olohuone, jossa kokoonnutaan kahvittelemaan ja "
            "järjestämään tapahtumia.",
            "{name} on kylän sydän: täällä pidetään kyläkahvit, kerhot ja juhlat.",
        ),
        middles=(
            "Viikoittain kokoontuvat kuntosali-, käsityö- ja kuoroporukat.",
            "Talkoilla kunnostettu talo on avoin kaikenikäisille kyläläisille ja kesäasukkaille.",
            "Kirjanvaihtohyllystä voi lainata luettavaa, ja kahvin kera tarjolla on "
            "kotileivonnaisia.",
            "Talolla on myös etätyöpiste, jossa on nopea nettiyhteys.",
        ),
        closers=(
            "Uudet kyläläiset ovat erityisen tervetulleita tutustumaan.",
            "Tapahtumista kerrotaan kylän ilmoitustaululla ja yhdistyksen sivuilla.",
        ),
        price_notes=(
            ("", True),
            ("Kahvi ja pulla 2 €", True),
            ("Kuntosalimaksu 20 €/vuosi", False),
        ),
        regional_associations=("{region_gen} Kyläverkosto ry",),
    ),
    swedish=Texts(
        prefixes=(("Byagården", 3), ("Ungdomslokalen", 1)),
        proper_names=_words("Björkbacka, Solvik, Strandhem, Granlund, Ekbacka"),
        intros=("{name} är byns gemensamma vardagsrum för kaffe, kurser och fester.",),
        middles=(
            "Här träffas gymnastikgruppen, handarbetsgruppen och kören varje vecka.",
            "Huset är öppet för alla bybor och sommargäster.",
        ),
        closers=("Nya bybor är särskilt välkomna.",),
        price_notes=(("", True), ("Kaffe och bulle 2 €", True)),
        regional_associations=("Ålands Byaråd rf",),
    ),
)

LIVING_ROOM = PlaceKind(
    key="living",
    weight=13,
    audiences=("kaikille",),
    optional_audiences=(
        ("tyoikaiset", 0.3),
        ("ikaihmiset", 0.4),
        ("tyottomat", 0.2),
        ("maahanmuuttajat", 0.15),
    ),
    organisers=(
        ("municipality", 3),
        ("county", 2),
        ("association", 3),
        ("company", 1),
        ("other", 1),
    ),
    schedules=(
        (((1, 2, 3, 4, 5), "10:00", "15:00"),),
        (((1, 2, 3, 4), "09:00", "14:00"),),
        (((2, 3, 4, 5), "11:00", "16:00"),),
        (((1, 3, 5), "10:00", "14:00"),),
    ),
    evening_extras=((0.2, (((4,), "16:30", "19:00"),)),),
    summer_schedules=((((2, 4), "10:00", "13:00"),), (((1, 2, 3, 4, 5), "10:00", "13:00"),)),
    summer_probability=0.15,
    amenities=("coffee", "internet", "guidance", "meals", "events", "volunteering", "games"),
    online_probability=0.06,
    extra_languages=(("en", 0.15), ("sv", 0.05)),
    finnish=Texts(
        prefixes=(
            ("Hyvinvointiolohuone", 3),
            ("Asukastupa", 3),
            ("Asukastalo", 2),
            ("Kohtaamispaikka", 3),
            ("Olohuone", 2),
        ),
        proper_names=_words(
            """
            Kaislikko, Kulmakivi, Kompassi, Kohtaamo, Silta, Tuulensuoja, Aamurusko, Kajastus,
            Kotikulma, Kamari, Pirtti, Tori, Kaarna, Kajo, Helmi, Väentupa, Lähde, Kohina,
            Sopukka
            """
        ),
        standalone_names=("Hyvinvointiolohuone", "Kirjaston olohuone", "Arjen olohuone"),
        intros=(
            "{name} on kaikille avoin kohtaamispaikka, jonne voi tulla juomaan kupin kahvia ja "
            "juttelemaan.",
            "{name} tarjoaa seuraa, tekemistä ja apua arjen asioihin ilman ajanvarausta.",
            "{name} on paikka, jossa kukaan ei ole asiakas vaan tervetullut vieras.",
        ),
        middles=(
            "Paikalla on ohjaaja ja vapaaehtoisia, jotka auttavat esimerkiksi lomakkeiden ja "
            "sähköisten palvelujen kanssa.",
            "Viikko-ohjelmassa on tuolijumppaa, lehtien lukua, pelejä ja ajankohtaisia "
            "vierailijoita.",
            "Asukkaat voivat ehdottaa toimintaa ja lähteä itse vetämään ryhmiä.",
            "Lounaalla istutaan yhteisen pöydän ääreen.",
            "Hyvinvointialueen sosiaaliohjaaja päivystää paikalla kerran viikossa.",
        ),
        closers=("Sinun ei tarvitse ilmoittautua etukäteen.", "Tervetuloa yksin tai yhdessä!"),
        price_notes=(
            ("", True),
            ("Kahvi 1 €", True),
            ("Lounas 5 €", True),
            ("Kahvi ja leipä 2 €", True),
        ),
        local_associations=("{gen} Asukasyhdistys ry", "{gen} Yhteisötupa ry", "{gen} Kohtaamo ry"),
        regional_associations=("{region_gen} Yhteisötyö ry",),
    ),
    swedish=Texts(
        prefixes=(("Mötesplats", 2), ("Vardagsrummet", 2)),
        proper_names=_words("Ankaret, Navet, Kompassen, Bryggan, Stugan"),
        intros=(
            "{name} är en öppen mötesplats för alla, med kaffe, sällskap och hjälp i vardagen.",
        ),
        middles=(
            "Frivilliga hjälper till med blanketter och digitala tjänster.",
            "Veckoprogrammet har stolgymnastik, spel och gästföreläsare.",
        ),
        closers=("Ingen tidsbokning behövs.",),
        price_notes=(("", True), ("Kaffe 1 €", True)),
        local_associations=("{gen} Mötesplatsförening rf",),
        regional_associations=("Ålands Mötesplatser rf",),
    ),
)

PEER_SUPPORT = PlaceKind(
    key="peer",
    weight=9,
    audiences=("kuntoutujat",),
    optional_audiences=(("tyoikaiset", 0.3), ("nuoret-aikuiset", 0.2)),
    organisers=(("association", 5), ("county", 1), ("other", 1)),
    schedules=(
        (((1, 2, 3, 4, 5), "09:00", "15:00"),),
        (((1, 3, 5), "10:00", "14:00"),),
        (((1, 2, 3, 4), "08:30", "14:30"),),
    ),
    evening_extras=((0.4, (((4,), "17:00", "19:00"),)),),
    summer_schedules=((((1, 2, 3, 4), "09:00", "13:00"),),),
    summer_probability=0.1,
    amenities=("peer_support", "coffee", "meals", "guidance", "clubs", "crafts", "exercise"),
    online_probability=0.1,
    finnish=Texts(
        prefixes=(
            ("Vertaistukipiste", 3),
            ("Klubitalo", 2),
            ("Kohtaamispaikka", 2),
            ("Toimintakeskus", 2),
        ),
        proper_names=_words(
            """
            Majakka, Luotsi, Reimari, Satama, Poiju, Valopilkku, Tuulentupa, Purje, Ankkuri,
            Kiikari, Lyhty, Tähystäjä, Merimerkki, Kotisatama, Aallonmurtaja
            """
        ),
        intros=(
            "{name} on mielenterveys- ja päihdekuntoutujien sekä heidän läheistensä "
            "kohtaamispaikka.",
            "{name} tarjoaa vertaistukea, yhteisöllistä tekemistä ja mielekästä päivärytmiä.",
        ),
        middles=(
            "Vertaisohjaajat tietävät omasta kokemuksesta, millaista on toipua.",
            "Viikoittain kokoontuvat keskusteluryhmä, liikuntaryhmä ja luova ryhmä.",
            "Yhteinen lounas valmistetaan yhdessä jäsenten kanssa.",
            "Työntekijältä saa tarvittaessa ohjausta palveluihin ja etuuksiin.",
        ),
        closers=(
            "Voit tulla tutustumaan ilman lähetettä tai ajanvarausta.",
            "Kaikki keskustelut ovat luottamuksellisia.",
        ),
        price_notes=(("", True), ("Lounas 3,50 €", True), ("Jäsenmaksu 10 €/vuosi", False)),
        local_associations=("{gen} Mielenterveysyhdistys ry", "{gen} Vertaistuki ry"),
        regional_associations=("{region_gen} Mielenterveystyö ry",),
    ),
)

CARERS = PlaceKind(
    key="carers",
    weight=6,
    audiences=("omaishoitajat",),
    optional_audiences=(("ikaihmiset", 0.4),),
    organisers=(("association", 4), ("parish", 1), ("county", 1)),
    schedules=(
        (((2,), "10:00", "13:00"),),
        (((3,), "12:00", "15:00"),),
        (((1, 4), "10:00", "12:30"),),
    ),
    evening_extras=((0.25, (((4,), "17:30", "19:30"),)),),
    amenities=("peer_support", "coffee", "guidance", "events", "exercise"),
    online_probability=0.1,
    finnish=Texts(
        prefixes=(("Omaistupa", 2), ("Omaiskahvila", 2)),
        proper_names=_words(
            """
            Lepohetki, Huili, Levähdys, Voimala, Hengähdys, Kuulas, Hetki, Myötätuuli, Kaiku,
            Suvanto
            """
        ),
        standalone_names=("Omaishoitajien olohuone", "Omaishoitajien kohtaamispaikka"),
        intros=(
            "{name} on omaishoitajien oma hetki: kahvia, vertaistukea ja tietoa.",
            "{name} kokoaa yhteen läheistään hoitavat ja tarjoaa hengähdystauon arjen keskelle.",
        ),
        middles=(
            "Ohjaaja kertoo omaishoidon tuesta, vapaapäivistä ja palveluista.",
            "Kuukauden viimeisellä kerralla vieraana on asiantuntija, esimerkiksi muistihoitaja "
            "tai fysioterapeutti.",
            "Vertaisryhmässä voi jakaa kokemuksia ihmisten kanssa, jotka ymmärtävät tilanteen.",
        ),
        closers=(
            "Hoidettavan voi ottaa mukaan, ja tiloissa on lepotila.",
            "Myös omaishoitajuutta harkitsevat ovat tervetulleita.",
        ),
        price_notes=(("", True), ("Kahvi 1 €", True)),
        local_associations=("{gen} Omaishoitajat ry",),
        regional_associations=("{region_gen} Omaishoitajat ry",),
    ),
)

SENIORS = PlaceKind(
    key="seniors",
    weight=10,
    audiences=("ikaihmiset",),
    optional_audiences=(("omaishoitajat", 0.2), ("kaikille", 0.1)),
    organisers=(("association", 3), ("municipality", 2), ("parish", 1), ("company", 1)),
    schedules=(
        (((1, 2, 3, 4, 5), "09:00", "14:00"),),
        (((2, 4), "10:00", "13:00"),),
        (((1, 3), "11:00", "14:00"),),
    ),
    summer_schedules=((((2, 4), "10:00", "13:00"),),),
    summer_probability=0.15,
    amenities=("coffee", "meals", "exercise", "crafts", "events", "clubs", "guidance"),
    accessibility=0.85,
    finnish=Texts(
        prefixes=(
            ("Senioritupa", 2),
            ("Seniorikahvila", 2),
            ("Palvelukeskus", 2),
            ("Kohtaamispaikka", 1),
        ),
        proper_names=_words(
            """
            Ruska, Kanerva, Pihlaja, Vanamo, Päivänsäde, Iltarusko, Marjala, Hopearanta,
            Kataja, Sinivuokko, Kielo, Syreeni, Timotei, Kotikulma
            """
        ),
        standalone_names=("Ikäihmisten olohuone",),
        intros=(
            "{name} on ikäihmisten kohtaamispaikka, jossa on seuraa, liikuntaa ja hyvää ruokaa.",
            "{name} tarjoaa eläkeikäisille mukavaa yhdessäoloa ja virkistystä.",
        ),
        middles=(
            "Ohjelmassa on tuolijumppaa, yhteislaulua, muistipelejä ja tietoiskuja.",
            "Lounasta tarjoillaan arkipäivisin, ja iltapäiväkahvin kanssa saa pullaa.",
            "Vapaaehtoiset auttavat puhelimen ja tabletin käytössä.",
            "Kerran kuussa tehdään retki lähiseudulle.",
        ),
        closers=("Ystävät ja omaiset ovat tervetulleita mukaan.",),
        price_notes=(
            ("", True),
            ("Lounas 6,50 €", True),
            ("Kahvi ja pulla 1,50 €", True),
            ("Kerhomaksu 15 €/kausi", False),
        ),
        local_associations=("{gen} Eläkeläiset ry", "{gen} Seniorit ry"),
        regional_associations=("{region_gen} Senioriverkosto ry",),
    ),
    swedish=Texts(
        prefixes=(("Seniorcaféet", 2), ("Träffpunkten", 1)),
        proper_names=_words("Pärlan, Ljungen, Rönnen, Solrosen"),
        intros=("{name} är en mötesplats för seniorer med sällskap, motion och god mat.",),
        middles=(
            "Programmet bjuder på stolgymnastik, allsång och frågesport.",
            "Lunch serveras på vardagar.",
        ),
        closers=("Vänner och anhöriga är välkomna.",),
        price_notes=(("", True), ("Lunch 6,50 €", True)),
        local_associations=("{gen} Pensionärsförening rf",),
        regional_associations=("Ålands Seniorer rf",),
    ),
)

MULTICULTURAL = PlaceKind(
    key="multicultural",
    weight=6,
    audiences=("maahanmuuttajat",),
    optional_audiences=(("kaikille", 0.4), ("lapsiperheet", 0.2)),
    organisers=(("association", 3), ("municipality", 1), ("parish", 1), ("other", 1)),
    schedules=(
        (((3,), "17:00", "19:00"),),
        (((1,), "16:30", "18:30"),),
        (((2, 4), "13:00", "16:00"),),
    ),
    evening_extras=((0.2, (((6,), "12:00", "14:00"),)),),
    amenities=("guidance", "coffee", "events", "clubs", "volunteering", "child_minding"),
    extra_languages=(("en", 1.0), ("other", 0.7), ("sv", 0.1)),
    small_town_boost=0.5,
    finnish=Texts(
        prefixes=(
            ("Kielikahvila", 3),
            ("Monikulttuurinen kohtaamispaikka", 2),
            ("Kohtaamispaikka", 1),
        ),
        proper_names=_words(
            """
            Mosaiikki, Sateenkaari, Kaleidoskooppi, Maailma, Kohtaamo, Tori, Silta, Kielisilta,
            Ystävä, Kompassi, Vaaka
            """
        ),
        standalone_names=("Kansainvälinen olohuone",),
        intros=(
            "{name} on paikka, jossa voi harjoitella suomea rennosti arkisten aiheiden parissa.",
            "{name} kokoaa yhteen uudet ja pidempään paikkakunnalla asuneet asukkaat.",
        ),
        middles=(
            "Vapaaehtoiset keskusteluvetäjät auttavat kielen kanssa, eikä virheistä tarvitse "
            "välittää.",
            "Ohjaajalta saa neuvoja asumiseen, työnhakuun ja palveluihin.",
            "Lapsille on leikkinurkkaus, joten koko perhe voi tulla mukaan.",
            "Kuukausittain järjestetään ruokailta, jossa maistellaan eri maiden ruokia.",
        ),
        closers=(
            "Kaikki kielitasot ovat tervetulleita.",
            "Ohjausta saa tarvittaessa myös englanniksi.",
        ),
        price_notes=(("", True), ("Kahvi 1 €", True)),
        local_associations=("{gen} Monikulttuuriyhdistys ry", "{gen} Kotoutumisen tuki ry"),
        regional_associations=("{region_gen} Monikulttuuriverkosto ry",),
    ),
    swedish=Texts(
        prefixes=(("Språkcaféet", 2), ("Internationella vardagsrummet", 1)),
        proper_names=_words("Mosaik, Regnbågen, Bron"),
        intros=("På {name} övar du svenska i avslappnad stämning.",),
        middles=(
            "Frivilliga samtalsledare hjälper till, och misstag gör ingenting.",
            "Handledaren ger råd om boende, arbete och tjänster.",
        ),
        closers=("Alla språknivåer är välkomna.",),
        price_notes=(("", True),),
        local_associations=("{gen} Mångkulturella förening rf",),
        regional_associations=("Ålands Mångkulturella Förening rf",),
    ),
)

UNEMPLOYED = PlaceKind(
    key="unemployed",
    weight=5,
    audiences=("tyottomat",),
    optional_audiences=(("tyoikaiset", 0.5), ("nuoret-aikuiset", 0.3)),
    organisers=(("association", 3), ("municipality", 1), ("company", 1), ("other", 1)),
    schedules=(
        (((1, 2, 3, 4), "09:00", "14:00"),),
        (((1, 2, 3, 4, 5), "10:00", "15:00"),),
    ),
    amenities=("internet", "guidance", "meals", "crafts", "volunteering", "coffee"),
    finnish=Texts(
        prefixes=(("Työttömien kohtaamispaikka", 2), ("Työpaja", 2), ("Olohuone", 1)),
        proper_names=_words("Verstas, Apaja, Pajala, Nikkari, Ponnistus, Tuuma, Vire, Ahjo"),
        standalone_names=("Työnhakijoiden olohuone",),
        intros=(
            "{name} on työttömien ja työnhakijoiden kohtaamispaikka, jossa saa seuraa ja tukea "
            "työnhakuun.",
            "{name} tarjoaa päivään rytmiä, edullisen lounaan ja apua työnhakuun.",
        ),
        middles=(
            "Koneilla voi päivittää CV:n ja hakea työpaikkoja, ja ohjaaja auttaa hakemusten "
            "kanssa.",
            "Pajoissa kunnostetaan huonekaluja ja tehdään pieniä korjaustöitä.",
            "Vapaaehtoistyö on hyvä tapa pitää yllä taitoja ja saada uusia kontakteja.",
        ),
        closers=("Tule tutustumaan, ilmoittautumista ei tarvita.",),
        price_notes=(("Lounas 3 €", True), ("", True)),
        local_associations=("{gen} Työttömät ry", "{gen} Työnhakijat ry"),
        regional_associations=("{region_gen} Työttömien yhdistys ry",),
    ),
)

DISABILITY = PlaceKind(
    key="disability",
    weight=4,
    audiences=("vammaiset",),
    optional_audiences=(("kaikille", 0.3), ("nuoret-aikuiset", 0.2)),
    organisers=(("association", 3), ("other", 1)),
    schedules=(
        (((2, 4), "12:00", "16:00"),),
        (((1, 2, 3), "10:00", "14:00"),),
    ),
    evening_extras=((0.3, (((3,), "17:00", "19:30"),)),),
    amenities=("crafts", "games", "clubs", "exercise", "peer_support", "coffee"),
    accessibility=1.0,
    finnish=Texts(
        prefixes=(("Avoin paja", 2), ("Kohtaamispaikka", 2), ("Harrastetupa", 1)),
        proper_names=_words(
            """
            Kumppani, Yhdessä, Vilske, Aurinko, Nauru, Siivet, Tähti, Reitti, Sävel
            """
        ),
        standalone_names=("Esteetön olohuone",),
        intros=(
            "{name} on esteetön kohtaamispaikka vammaisille ihmisille, heidän läheisilleen ja "
            "kaikille muillekin.",
            "{name} tarjoaa yhdessä tekemistä, harrastuksia ja vertaistukea esteettömissä "
            "tiloissa.",
        ),
        middles=(
            "Ohjelmassa on musiikkia, askartelua, pelejä ja soveltavaa liikuntaa.",
            "Avustaja on tervetullut mukaan maksutta.",
            "Tiedotteet ovat saatavilla myös selkokielellä.",
        ),
        closers=("Kysy rohkeasti, jos tarvitset erityisjärjestelyjä.",),
        price_notes=(("", True), ("Materiaalimaksu 2 €", True)),
        local_associations=("{gen} Vammaisyhdistys ry", "{gen} Kaikkien Harrastukset ry"),
        regional_associations=("{region_gen} Vammaisfoorumi ry",),
    ),
)

PARISH = PlaceKind(
    key="parish",
    weight=6,
    audiences=("kaikille",),
    optional_audiences=(("ikaihmiset", 0.3), ("tyottomat", 0.2)),
    organisers=(("parish", 1),),
    schedules=(
        (((2,), "10:00", "13:00"),),
        (((4,), "11:00", "13:00"), ((2,), "10:00", "12:00")),
        (((3,), "17:00", "19:00"),),
    ),
    amenities=("coffee", "meals", "guidance", "peer_support", "volunteering"),
    accessibility=0.7,
    finnish=Texts(
        prefixes=(("Diakoniakahvila", 3), ("Kirkkokahvila", 1)),
        proper_names=_words("Toivo, Lähde, Kynttilä, Lyhty, Valo, Kaivo, Oljenkorsi, Leipäpuu"),
        standalone_names=("Kirkon olohuone", "Seurakuntakodin olohuone"),
        intros=(
            "{name} on seurakunnan avoin kohtaamispaikka, jossa kaikki ovat tervetulleita "
            "vakaumuksesta riippumatta.",
            "{name} tarjoaa kahvia, keskusteluseuraa ja tarvittaessa diakoniatyöntekijän tukea.",
        ),
        middles=(
            "Keittolounas on tarjolla vapaaehtoista maksua vastaan.",
            "Diakoniatyöntekijän kanssa voi keskustella luottamuksellisesti myös raha-asioista.",
            "Vapaaehtoiset leipovat pullat ja keittävät kahvit.",
        ),
        closers=("Tervetuloa pistäytymään vaikka vain kahville!",),
        price_notes=(("", True), ("Keittolounas vapaaehtoista maksua vastaan", True)),
        regional_associations=("{region_gen} Diakoniaverkosto ry",),
    ),
)

SUMMER_CAFE = PlaceKind(
    key="summer",
    weight=2,
    audiences=("kesaasukkaat",),
    optional_audiences=(("kaikille", 0.7),),
    organisers=(("village", 3), ("company", 1)),
    schedules=(),
    summer_schedules=(
        (((2, 3, 4, 5, 6, 7), "11:00", "17:00"),),
        (((4, 5, 6, 7), "12:00", "18:00"),),
    ),
    summer_probability=1.0,
    seasonal_only=True,
    closes_on_holidays=0.3,
    amenities=("coffee", "events", "crafts", "volunteering"),
    accessibility=0.5,
    small_town_boost=3.0,
    city_factor=0.1,
    finnish=Texts(
        prefixes=(("Kesäkahvila", 4), ("Rantakahvila", 2)),
        proper_names=_words(
            """
            Lokki, Laituri, Kaisla, Helle, Mustikka, Kesäheinä, Ulappa, Airo, Sorsa,
            Niittykukka
            """
        ),
        intros=(
            "{name} palvelee kesäasukkaita ja kyläläisiä koko kesän.",
            "{name} on kesän kohtaamispaikka rannan tuntumassa.",
        ),
        middles=(
            "Tarjolla on kahvia, jäätelöä ja kotileivonnaisia sekä kesäisiä tapahtumia.",
            "Kahvilan yhteydessä on kirjanvaihtopiste ja pieni kirpputori.",
            "Kesäasukkaat saavat täältä tietoa kunnan palveluista ja kylän tapahtumista.",
        ),
        closers=("Kahvila on avoinna vain kesäkaudella.",),
        price_notes=(("Kahvi 2 €, munkki 2,50 €", True),),
        regional_associations=("{region_gen} Kyläverkosto ry",),
    ),
)

PLACE_KINDS = (
    FAMILY,
    YOUTH,
    VILLAGE,
    LIVING_ROOM,
    PEER_SUPPORT,
    CARERS,
    SENIORS,
    MULTICULTURAL,
    UNEMPLOYED,
    DISABILITY,
    PARISH,
    SUMMER_CAFE,
)
PLACE_KINDS_BY_KEY = {kind.key: kind for kind in PLACE_KINDS}

COMPANY_NAMES = {
    "local": ("{gen} Asukaspalvelut Oy", "{gen} Yhteisökahvilat Oy"),
    "regional": ("{region_gen} Hoivapalvelut Oy", "{region_gen} Työvalmennus Oy"),
}
OTHER_NAMES = {
    "local": ("{gen} Asukastalosäätiö sr", "{gen} kansalaisopisto"),
    "regional": ("{region_gen} Yhteisösäätiö sr",),
}
VILLAGE_ASSOCIATION = "{village}n kyläyhdistys ry"
SWEDISH_VILLAGE_ASSOCIATION = "{village} byaförening rf"

# Network: coordinators and meetings.
COORDINATOR_INTRODUCTIONS = {
    "perhekeskuskoordinaattori": (
        "Kehitän {region_gen} perhekeskusten avoimia kohtaamispaikkoja yhdessä kuntien, "
        "järjestöjen ja seurakuntien kanssa. Ota yhteyttä, kun suunnittelette uutta "
        "perhetoimintaa."
    ),
    "järjestöagentti": (
        "Tuen {region_gen} yhdistyksiä kohtaamispaikkojen perustamisessa, rahoituksen haussa ja "
        "verkostoitumisessa. Kysy rohkeasti – autan mielelläni."
    ),
    "hyvinvointikoordinaattori": (
        "Vastaan kunnan hyvinvoinnin ja terveyden edistämisen yhteistyöstä järjestöjen kanssa. "
        "Kokoan kohtaamispaikkojen verkoston tapaamiset ja kerään tiedot päätöksenteon tueksi."
    ),
    "kohtaamispaikkakoordinaattori": (
        "Koordinoin {region_gen} kohtaamispaikkaverkostoa ja pidän hakemiston tiedot ajan "
        "tasalla. Kerro minulle uusista paikoista ja muuttuneista aukioloista."
    ),
    "yhteisötyön koordinaattori": (
        "Työskentelen asukaslähtöisen yhteisötyön parissa ja tuen asukastupia ja kylätaloja "
        "{region_gen} alueella."
    ),
}
COORDINATOR_INTRODUCTION_SWEDISH = (
    "Jag samordnar nätverket av mötesplatser på Åland och hjälper föreningar att starta ny "
    "verksamhet."
)

MEETING_TOPICS = {
    "network_meeting": (
        "{region_gen} kohtaamispaikkaverkoston tapaaminen",
        "{town_gen} kohtaamispaikkojen verkostotapaaminen",
        "Perhekeskuksen kohtaamispaikkojen verkostotapaaminen, {town}",
        "Järjestöjen ja kunnan yhteistyöfoorumi, {town}",
    ),
    "workshop": (
        "Työpaja: saavutettava kohtaamispaikka, {town}",
        "Työpaja: vapaaehtoiset mukaan toimintaan, {town}",
        "Työpaja: viestintä ja some kohtaamispaikoille",
        "Työpaja: nuorten ääni kuuluviin, {town}",
        "Työpaja: toiminnan vaikutusten arviointi",
    ),
    "network_days": (
        "Kohtaamispaikkojen verkostopäivät {year}",
        "{region_gen} järjestö- ja kohtaamispaikkapäivät {year}",
    ),
    "training": (
        "Koulutus: kohtaava vuorovaikutus",
        "Koulutus: turvallisemman tilan periaatteet",
        "Koulutus: ensiapu arjen tilanteissa, {town}",
        "Koulutus: tietosuoja yhdistyksen arjessa",
        "Koulutus: puheeksiotto ja ohjaaminen palveluihin",
    ),
    "info_session": (
        "Infotilaisuus: järjestöavustukset {next_year}",
        "Infotilaisuus: hyvinvointialueen yhteistyömallit",
        "Infotilaisuus: kohtaamispaikkojen tilastointi ja palaute",
        "Infotilaisuus: uusi kohtaamispaikkahakemisto",
    ),
}
MEETING_DESCRIPTIONS = {
    "network_meeting": (
        "Verkostotapaamisessa kuulemme alueen kohtaamispaikkojen kuulumiset, jaamme hyviä "
        "käytäntöjä ja sovimme yhteisistä tapahtumista. Tapaaminen on avoin kaikille "
        "kohtaamispaikkojen työntekijöille ja vapaaehtoisille.",
        "Kokoonnumme vaihtamaan ajatuksia kohtaamispaikkojen arjesta. Mukana ovat kunnan, "
        "hyvinvointialueen, seurakunnan ja järjestöjen edustajat.",
    ),
    "workshop": (
        "Työpajassa ideoimme yhdessä käytännön ratkaisuja ja kokeilemme uusia työtapoja. "
        "Ota mukaan omat kysymyksesi ja kokemuksesi.",
        "Työpajassa työskennellään pienryhmissä, ja jokainen saa mukaansa konkreettisia "
        "työkaluja oman kohtaamispaikan kehittämiseen.",
    ),
    "network_days": (
        "Verkostopäivät kokoavat kohtaamispaikkojen toimijat koko alueelta. Ohjelmassa on "
        "puheenvuoroja, työpajoja ja runsaasti aikaa verkostoitua.",
    ),
    "training": (
        "Koulutus antaa valmiuksia kohtaamispaikan arkeen. Koulutukseen ovat tervetulleita "
        "sekä työntekijät että vapaaehtoiset.",
        "Koulutuksessa käydään läpi käytännön esimerkkejä ja harjoitellaan yhdessä. "
        "Osallistujat saavat todistuksen.",
    ),
    "info_session": (
        "Infotilaisuudessa kerrotaan ajankohtaisista asioista ja vastataan osallistujien "
        "kysymyksiin. Tilaisuus tallennetaan.",
        "Lyhyt tietoisku ja kysymyksiä: tule kuulemaan, mikä muuttuu ja miten se vaikuttaa "
        "kohtaamispaikkojen toimintaan.",
    ),
}
CANCELLED_NOTE = "Tilaisuus on peruttu vähäisen ilmoittautumismäärän vuoksi."
POSTPONED_NOTE = "Tilaisuus siirtyy myöhempään ajankohtaan. Uusi päivä ilmoitetaan pian."
AGENDA_ITEMS = (
    ("Ilmoittautuminen ja kahvit", "Tervetuloa ja esittäytyminen"),
    ("Ajankohtaista alueelta", "Kohtaamispaikkojen kuulumiset", "Alustus ja keskustelu"),
    ("Ryhmätyöt", "Työpajaosuus", "Kokemusten jakaminen pienryhmissä"),
    ("Yhteenveto ja jatkosta sopiminen",),
)
OUTCOME_THEMES = (
    "Vapaaehtoisten rekrytointi ja jaksaminen",
    "Tilojen saavutettavuus ja esteettömyys",
    "Yhteistyö hyvinvointialueen kanssa",
    "Nuorten tavoittaminen",
    "Toiminnan rahoitus ja avustukset",
    "Viestintä ja näkyvyys",
    "Ikäihmisten yksinäisyys",
    "Kielitaidottomien tavoittaminen",
    "Kohtaamispaikkojen aukioloaikojen yhteensovittaminen",
    "Tilastoinnin ja palautteen keruu",
)
FOLLOW_UP_PLANS = (
    "Kunta ja järjestöt kokoavat yhteisen kohtaamispaikkojen aukiolokalenterin kevääksi.",
    "Perhekeskuksen kohtaamispaikka aloittaa iltaryhmän tammikuussa.",
    "Järjestöagentti kartoittaa vapaita tiloja kylätaloista ja kouluista.",
    "Kirjasto ja asukastupa kokeilevat yhteistä digitukipäivystystä.",
    "Seurakunta ja kunta selvittävät yhteisen nuorten illan järjestämistä.",
    "Hyvinvointialue kutsuu kohtaamispaikat mukaan palveluohjauksen koulutukseen.",
    "Kohtaamispaikkojen tiedot päivitetään hakemistoon kuukauden kuluessa.",
)
