"""Demo services: a realistic Helsinki set. Addresses and hours are plausible examples for
the demo, not a directory to rely on; no phone numbers are given."""


from outreach.core.records import already_loaded
from outreach.extensions import db
from outreach.services.models import Service, ServiceKind

K = ServiceKind

# (kind, name_fi, name_sv, name_en, address, opening hours note in Finnish, active)
DEMO_SERVICES = [
    (K.KELA, "Kela, Itäkeskuksen palvelupiste", "FPA, servicestället i Östra centrum",
     "Kela, Itäkeskus service point", "Turunlinnantie 8, 00930 Helsinki",
     "Ma–pe klo 9–16.\nJonotusnumero aulan automaatista; monimutkaisempiin asioihin kannattaa "
     "varata aika.", True),
    (K.KELA, "Kela, Kampin palvelupiste", "FPA, servicestället i Kampen",
     "Kela, Kamppi service point", "Salomonkatu 17 A, 00100 Helsinki",
     "Ma–pe klo 9–16.\nPalvelua myös ruotsiksi. Kiireellinen toimeentulotuki: kerro heti "
     "jonottaessa, että asia on kiireellinen.", True),
    (K.SOCIAL_SERVICES, "Helsingin sosiaali- ja kriisipäivystys",
     "Helsingfors social- och krisjour",
     "Helsinki Social and Crisis Emergency Services", "Säästöpankinranta 2 A, 00530 Helsinki",
     "Päivystää ympäri vuorokauden.\nVirka-aikana kiireettömät asiat hoidetaan omassa "
     "sosiaaliohjauksessa; hätätilanteessa soita 112.", True),
    (K.SOCIAL_SERVICES, "Helsingin kaupungin sosiaaliohjaus, aikuissosiaalityö",
     "Helsingfors stads socialhandledning, socialt arbete för vuxna",
     "City of Helsinki social guidance, adult social work", "Toinen linja 4 A, 00530 Helsinki",
     "Ma–pe klo 8.15–16.\nNeuvonta ilman ajanvarausta arkiaamuisin klo 9–11; muuten "
     "ajanvarauksella oman työntekijän kanssa.", True),
    (K.HEALTH_CENTRE, "Kallion terveysasema", "Berghälls hälsostation", "Kallio Health Station",
     "Sturenkatu 2 A, 00510 Helsinki",
     "Ma–pe klo 8–16.\nKiireelliset asiat aamupäivällä; illalla ja viikonloppuna "
     "yhteispäivystys.", True),
    (K.SUBSTANCE_ABUSE, "Terveysneuvontapiste Vinkki", "Hälsorådgivningsstället Vinkki",
     "Vinkki health counselling point", "Vilhonvuorenkatu 11, 00500 Helsinki",
     "Ma–pe klo 10–16.\nNimetön ja maksuton: välineiden vaihto, testaus ja neuvonta ilman "
     "ajanvarausta.", True),
    (K.SUBSTANCE_ABUSE, "A-klinikka, Helsingin toimipiste", "A-kliniken, verksamhetsstället i "
     "Helsingfors", "A-Clinic, Helsinki unit", "Kinaporinkatu 1, 00500 Helsinki",
     "Ma–pe klo 8–16.\nEnsikäynnille ilman lähetettä; aamupäivisin päivystysaika ilman "
     "ajanvarausta.", True),
    (K.MENTAL_HEALTH, "Psykiatria- ja päihdekeskus, Itäkeskus",
     "Psykiatri- och missbrukscentralen, Östra centrum",
     "Psychiatry and Substance Abuse Centre, Itäkeskus", "Kauppakartanonkatu 3, 00930 Helsinki",
     "Ma–pe klo 8–16.\nHoitoon hakeudutaan terveysaseman kautta tai soittamalla ensin; "
     "akuutissa kriisissä sosiaali- ja kriisipäivystys.", True),
    (K.HOUSING, "Helsingin kaupungin asuntopalvelut, asunnonhaku",
     "Helsingfors stads bostadstjänster, bostadssökning",
     "City of Helsinki Housing Services, applying for a home", "Työpajankatu 8, 00580 Helsinki",
     "Ma–pe klo 8.15–16.\nHakemuksen voi jättää verkossa; asiakaspalvelussa saa apua sen "
     "täyttämiseen. Hakemus on voimassa kolme kuukautta.", True),
    (K.POLICE, "Helsingin poliisilaitos, Pasilan poliisitalo",
     "Helsingfors polisinrättning, Böle polishus",
     "Helsinki Police Department, Pasila police station", "Pasilanraitio 11, 00240 Helsinki",
     "Lupapalvelut ma–pe ajanvarauksella.\nRikosilmoituksen voi tehdä myös verkossa; "
     "hätätilanteessa soita 112.", True),
    (K.COURT, "Helsingin käräjäoikeus", "Helsingfors tingsrätt", "Helsinki District Court",
     "Porkkalankatu 13, 00180 Helsinki",
     "Asiakaspalvelu ma–pe klo 8–16.15.\nIstuntoihin kutsun mukaan; varaa aikaa "
     "turvatarkastukseen.", True),
    (K.LEGAL_AID, "Helsingin oikeusaputoimisto", "Helsingfors rättshjälpsbyrå",
     "Helsinki Legal Aid Office", "Porkkalankatu 13 G, 00180 Helsinki",
     "Ma–pe klo 8–16.15, ajanvarauksella.\nOikeusapu on tulojen mukaan maksutonta tai "
     "osittain maksullista; ota tulotiedot mukaan.", True),
    (K.BANK, "Nordea, Itäkeskuksen konttori", "Nordea, kontoret i Östra centrum",
     "Nordea, Itäkeskus branch", "Itäkatu 1–7, 00930 Helsinki",
     "Ma–pe klo 10–16.30, osa palveluista vain ajanvarauksella.\nMukaan voimassa oleva "
     "henkilöllisyystodistus.", True),
    (K.PHARMACY, "Yliopiston Apteekki, Mannerheimintie", "Universitetets Apotek, Mannerheimvägen",
     "University Pharmacy, Mannerheimintie", "Mannerheimintie 96, 00250 Helsinki",
     "Avoinna joka päivä ympäri vuorokauden.", True),
    (K.SHELTER, "Diakonissalaitoksen naisten asumispalvelu",
     "Diakonissanstaltens boendetjänst för kvinnor",
     "Deaconess Foundation housing service for women", "Alppikatu 2, 00530 Helsinki",
     "Ympärivuorokautinen.\nPaikkaa kysytään etukäteen; ohjaus sosiaalityön kautta.", True),
    (K.SHELTER, "Turvakoti, Helsingin Ensi- ja turvakoti", "Skyddshem, Helsingfors mödra- och "
     "skyddshem", "Shelter for women facing violence, Helsinki", None,
     "Päivystää ympäri vuorokauden.\nOsoitetta ei kerrota julkisesti: tulosta sovitaan "
     "etukäteen puhelimitse.", True),
    (K.EMPLOYMENT, "Helsingin työllisyyspalvelut, Työmarkkinatori",
     "Helsingfors sysselsättningstjänster, Arbetsmarknadstorget",
     "Helsinki Employment Services, Työmarkkinatori", "Opastinsilta 12 B, 00520 Helsinki",
     "Ma–pe klo 9–16.\nTyönhaun voi aloittaa verkossa; neuvontaa ilman ajanvarausta.", True),
    (K.EMPLOYMENT, "Uudenmaan TE-toimisto, Helsinki", "Nylands TE-byrå, Helsingfors",
     "Uusimaa TE Office, Helsinki", "Opastinsilta 12 B, 00520 Helsinki",
     "Lakkautettu 1.1.2025: TE-palvelut siirtyivät kuntien työllisyyspalveluihin.", False),
]


def load_services() -> bool:
    """Seed the catalogue once: nothing is added if any service exists."""
    if already_loaded(Service):
        return False
    db.session.add_all(
        Service(
            kind=kind, name_fi=name_fi, name_sv=name_sv, name_en=name_en, address=address,
            opening_hours=opening_hours, active=active,
        )
        for kind, name_fi, name_sv, name_en, address, opening_hours, active in DEMO_SERVICES
    )
    db.session.flush()
    return True
