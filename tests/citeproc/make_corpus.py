#!/usr/bin/env python3
"""Writes tests/fixtures/citeproc-corpus/: the broad comparison corpus of
tests/citeproc.rs (issue 25). Items of the kinds NGOs cite, shaped as Zotero's
"Export → CSL JSON" writes them (strings for date parts, empty strings where a
field was left blank, names as family/given or literal), with the gaps real
exports have. Each kind is crossed with the gaps that matter to a note: with
and without container title, publisher, place, issued day, accessed date,
author. Deterministic: run it again after changing it, and commit both.

    python3 tests/citeproc/make_corpus.py
"""

import itertools
import json
import pathlib

OUT = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "citeproc-corpus"

ORGS = [
    "Amnesty International",
    "Human Rights Watch",
    "European Digital Rights",
    "Access Now",
    "Statewatch",
    "European Network Against Racism",
    "PICUM",
    "AlgorithmWatch",
    "Privacy International",
    "European Union Agency for Fundamental Rights",
    "European Data Protection Supervisor",
    "Council of Europe Commissioner for Human Rights",
]

PEOPLE = [
    {"family": "Rankin", "given": "Jennifer"},
    {"family": "van der Berg", "given": "Anouk"},
    {"family": "de la Cruz", "given": "María José"},
    {"family": "Müller-Schmidt", "given": "Hans-Peter"},
    {"family": "O'Brien", "given": "Siobhán"},
    {"family": "Nowak", "given": "J.-P."},
    {"family": "Kuznetsova", "given": "Anna"},
    {"family": "Кузнецова", "given": "Анна"},
    {"family": "李", "given": "明"},
    {"family": "Papadopoulou", "given": "E. K."},
    {"family": "Smith", "given": "L.F."},
    {"family": "Ní Bhriain", "given": "Aoife"},
]

WEB_TITLES = [
    "Traineeships",
    "Stop facial recognition in public spaces",
    "What is the EU's AI Act?",
    "Frequently asked questions: the Pact on Migration and Asylum",
    "Ban 'predictive policing' systems, say 40 organisations",
    "Reclaim your face",
    "Why we're suing the Home Office",
    "The “digital welfare state”: a primer",
    "Our work on surveillance",
    "Civil society statement on the AI Act trilogues",
]

NEWS_TITLES = [
    "Home Office to scrap 'racist algorithm' for UK visa applicants",
    "EU's AI rules 'fall short' on migrants, campaigners warn",
    "MEPs back the “AI Act” in final vote",
    "Dutch childcare benefits scandal: 'We were treated as criminals'",
    "Greece's border surveillance under scrutiny",
    "Commission defends 'chat control' proposal",
    "Parliament's LIBE committee votes on Eurodac",
    "Frontex 'failed to protect' rights, watchdog says",
    "Can algorithms be racist?",
    "Poland's pushbacks: what the courts said",
    "Italy–Albania deal: 'a dangerous precedent'",
    "Inside the EU's biometric border",
    "“We are not criminals”: migrants on detention",
]

REPORT_TITLES = [
    "Automated neglect: how the World Bank's push to allocate cash assistance using algorithms threatens rights",
    "Getting the future right: artificial intelligence and fundamental rights",
    "Technological testing grounds: migration management experiments and reflections from the ground up",
    "Xenophobic machines: discrimination through unregulated use of algorithms in the Dutch childcare benefits scandal",
    "Data protection, immigration enforcement and fundamental rights",
    "Under surveillance: misuse of technologies in emergency responses",
    "Beyond the border: the 'new' Eurodac",
    "Artificial intelligence and human rights: a primer",
    "Remote biometric identification in the EU",
    "Surveillance tech in EU migration policy",
]

UN_DOCS = [
    ("Racial discrimination and emerging digital technologies: a human rights analysis", "A/HRC/44/57",
     "UN Special Rapporteur on Contemporary Forms of Racism, Racial Discrimination, Xenophobia and Related Intolerance",
     "United Nations Human Rights Council"),
    ("The right to privacy in the digital age", "A/HRC/48/31", "UN High Commissioner for Human Rights",
     "United Nations Human Rights Council"),
    ("Report of the Special Rapporteur on extreme poverty and human rights", "A/74/493",
     "UN Special Rapporteur on Extreme Poverty and Human Rights", "United Nations General Assembly"),
    ("General recommendation No. 36 (2020) on preventing and combating racial profiling by law enforcement officials",
     "CERD/C/GC/36", "Committee on the Elimination of Racial Discrimination", "United Nations"),
    ("Human rights and the regulation of AI", "A/HRC/56/45", "UN Human Rights Council Advisory Committee",
     "United Nations Human Rights Council"),
    ("Pushback practices and their impact on the human rights of migrants", "A/HRC/47/30",
     "UN Special Rapporteur on the Human Rights of Migrants", "United Nations Human Rights Council"),
]

LEGISLATION = [
    ("Regulation (EU) 2016/679 on the protection of natural persons with regard to the processing of personal data (General Data Protection Regulation)",
     "L 119", "1-88", ["2016", 5, 4]),
    ("Directive (EU) 2016/680 on the protection of natural persons with regard to the processing of personal data by competent authorities",
     "L 119", "89-131", ["2016", 5, 4]),
    ("Regulation (EU) 2024/1689 laying down harmonised rules on artificial intelligence (Artificial Intelligence Act)",
     "L", "", ["2024", 7, 12]),
    ("Regulation (EU) 2024/1358 on the establishment of 'Eurodac'", "L", "", ["2024", 5, 22]),
    ("Charter of Fundamental Rights of the European Union", "C 326", "391", ["2012", 10, 26]),
    ("Treaty on the Functioning of the European Union (consolidated version)", "C 202", "47", ["2016", 6, 7]),
    ("Regulation (EU) 2022/2065 on a Single Market for Digital Services (Digital Services Act)", "L 277", "1-102",
     ["2022", 10, 27]),
    ("Directive 2013/32/EU on common procedures for granting and withdrawing international protection", "L 180",
     "60-95", ["2013", 6, 29]),
]

TREATIES = [
    ("International Convention on the Elimination of All Forms of Racial Discrimination", "United Nations General Assembly",
     "United Nations Treaty Series", "660", "195", ["1965", 12, 21]),
    ("Convention for the Protection of Human Rights and Fundamental Freedoms", "Council of Europe",
     "European Treaty Series", "5", "", ["1950", 11, 4]),
    ("Convention relating to the Status of Refugees", "", "United Nations Treaty Series", "189", "137", ["1951", 7, 28]),
    ("Convention on the Rights of the Child", "United Nations General Assembly", "", "", "", None),
]


def date(parts):
    return {"date-parts": [[str(parts[0])] + list(parts[1:])]}


def webpages():
    out = []
    gaps = itertools.product([True, False], repeat=4)  # container, publisher, day, accessed
    for n, (container, publisher, day, accessed) in enumerate(gaps):
        for variant in range(2):
            i = len(out)
            item = {
                "id": f"web{i + 1:02}",
                "type": "webpage",
                "title": WEB_TITLES[i % len(WEB_TITLES)],
                "URL": f"https://example.org/{'campaigns' if variant else 'news'}/{i + 1}",
            }
            if variant == 0:
                item["author"] = [{"literal": ORGS[i % len(ORGS)]}]
            elif n % 3 == 0:
                item["author"] = [PEOPLE[i % len(PEOPLE)]]
            if container:
                item["container-title"] = ORGS[(i + 3) % len(ORGS)]
            if publisher:
                item["publisher"] = ORGS[(i + 5) % len(ORGS)]
                item["publisher-place"] = "Brussels" if n % 2 else ""
            item["issued"] = date(["2023", 4, 12] if day else ["2021"])
            if accessed:
                item["accessed"] = date(["2024", 2, 1])
            if n == 5:
                item["issued"] = {"date-parts": [["2022", "11"]]}
            if n == 7:
                del item["issued"]
            out.append(item)
    return out


def reports():
    out = []
    for i, title in enumerate(REPORT_TITLES * 2):
        item = {
            "id": f"report{i + 1:02}",
            "type": "report",
            "title": title if i < 10 else title.capitalize(),
            "author": [{"literal": ORGS[(i * 5) % len(ORGS)]}] if i % 4 else [PEOPLE[i % 12], PEOPLE[(i + 1) % 12]],
            "publisher": ORGS[(i * 5) % len(ORGS)] if i % 3 else "",
            "issued": date(["2020", 6, 18] if i % 2 else [str(2018 + i % 6)]),
        }
        if i % 5 == 1:
            item["publisher-place"] = "London"
        if i % 4 == 2:
            item["number"] = f"EUR {i:02}/{6000 + i}/2023"
        if i % 3 == 0:
            item["URL"] = f"https://example.org/reports/{i + 1}"
            item["accessed"] = date(["2024", 1, 15])
        if i % 7 == 3:
            item["DOI"] = f"10.2811/{774100 + i}"
        if i % 6 == 5:
            item["collection-title"] = "Working papers"
        out.append(item)
    return out


def un_documents():
    out = []
    for i, (title, symbol, author, publisher) in enumerate(UN_DOCS * 2):
        item = {
            "id": f"un{i + 1:02}",
            "type": "report" if i < 6 else "document",
            "title": title,
            "number": symbol,
            "author": [{"literal": author}] if i % 3 else [{"family": author}],
            "publisher": publisher,
            "issued": date(["2020", 6, 18] if i % 2 else ["2021", 9]),
        }
        if i % 2:
            item["URL"] = f"https://undocs.org/{symbol}"
        out.append(item)
    return out


def legislation():
    out = []
    for i, (title, volume, page, issued) in enumerate(LEGISLATION * 2):
        item = {
            "id": f"leg{i + 1:02}",
            "type": "legislation",
            "title": title,
            "container-title": "Official Journal of the European Union",
        }
        if i < 8:
            item["volume"] = volume
            if page:
                item["page"] = page
            item["issued"] = date(issued)
            item["authority"] = "European Union" if i % 2 else ""
        else:
            # The same acts as a quick Zotero entry: no OJ reference, a year or no date.
            if i % 2:
                item["issued"] = date([issued[0]])
            item["URL"] = f"https://eur-lex.europa.eu/eli/{i}"
        out.append(item)
    return out


def treaties():
    out = []
    for i, (title, author, container, volume, page, issued) in enumerate(TREATIES * 2):
        item = {"id": f"treaty{i + 1:02}", "type": "treaty", "title": title}
        if author and i < 4:
            item["author"] = [{"literal": author}]
        if container:
            item["container-title"] = container
        if volume:
            item["volume"] = volume
        if page and i < 4:
            item["page"] = page
        if issued and i < 4:
            item["issued"] = date(issued)
        out.append(item)
    return out


def news():
    out = []
    papers = ["The Guardian", "Politico Europe", "Euractiv", "Le Monde", "Der Spiegel", "EUobserver"]
    for i, title in enumerate(NEWS_TITLES * 2):
        item = {
            "id": f"news{i + 1:02}",
            "type": "article-newspaper",
            "title": title,
            "container-title": papers[i % len(papers)],
            "issued": date(["2023", (i % 12) + 1, (i % 27) + 1] if i % 5 else ["2023", (i % 12) + 1]),
        }
        if i % 3:
            item["author"] = [PEOPLE[i % len(PEOPLE)]]
        if i % 4 == 1:
            item["author"] = [PEOPLE[i % len(PEOPLE)], PEOPLE[(i + 3) % len(PEOPLE)]]
        if i % 2:
            item["URL"] = f"https://news.example.com/{i + 1}"
            item["accessed"] = date(["2024", 3, 5])
        if i % 6 == 4:
            item["section"] = "World"
        out.append(item)
    return out


def journals_and_books():
    out = []
    for i in range(14):
        out.append({
            "id": f"article{i + 1:02}",
            "type": "article-journal",
            "title": ["Algorithmic discrimination in policing: evidence from Europe",
                      "The EU's 'smart borders' and the right to privacy",
                      "Predictive policing and the presumption of innocence",
                      "Digital borders: a review", "Who watches the watchers?"][i % 5],
            "author": [PEOPLE[i % 12]] + ([PEOPLE[(i + 4) % 12]] if i % 2 else [])
            + ([PEOPLE[(i + 7) % 12]] if i % 3 == 0 else []),
            "container-title": ["European Journal of Criminology", "Common Market Law Review",
                                "Journal of Ethnic and Migration Studies"][i % 3],
            "volume": str(10 + i),
            "issue": str(1 + i % 4) if i % 4 else "",
            "page": f"{100 + i * 20}-{118 + i * 20}" if i % 5 else "",
            "issued": date([str(2015 + i), (i % 12) + 1] if i % 2 else [str(2015 + i)]),
        })
        if i % 3 == 1:
            out[-1]["DOI"] = f"10.1177/1477370821{1012345 + i}"
    for i in range(8):
        out.append({
            "id": f"book{i + 1:02}",
            "type": "book",
            "title": ["Weapons of math destruction", "Automating inequality",
                      "Race after technology", "The age of surveillance capitalism"][i % 4],
            "author": [PEOPLE[(i + 2) % 12]] if i % 3 else [{"literal": ORGS[i % 12]}],
            "publisher": ["Crown", "St. Martin's Press", "Polity", "PublicAffairs"][i % 4] if i % 5 else "",
            "publisher-place": ["New York", "", "Cambridge", "New York"][i % 4],
            "issued": date([str(2016 + i)]),
        })
        if i % 4 == 3:
            out[-1]["edition"] = "2"
    for i in range(5):
        out.append({
            "id": f"chapter{i + 1:02}",
            "type": "chapter",
            "title": f"Borders, data and rights, part {i + 1}",
            "author": [PEOPLE[i % 12]],
            "editor": [PEOPLE[(i + 5) % 12]] + ([PEOPLE[(i + 6) % 12]] if i % 2 else []),
            "container-title": "Data protection and migration",
            "publisher": "Hart",
            "publisher-place": "Oxford" if i % 2 else "",
            "page": f"{20 + i * 15}-{34 + i * 15}",
            "issued": date(["2022"]),
        })
    return out


def title_only_and_cases():
    out = [{"id": f"bare{i + 1:02}", "type": t, "title": title} for i, (t, title) in enumerate([
        ("document", "Joint statement on the Pact on Migration and Asylum"),
        ("document", "Open letter to the Council: don't weaken the AI Act"),
        ("webpage", "Untitled campaign page"),
        ("report", "Briefing: the EU's 'return hubs'"),
        ("article-newspaper", "Editorial: Europe's borders"),
    ])]
    cases = [
        ("Glukhin v Russia", "11519/20", "European Court of Human Rights", ["2023", 7, 4]),
        ("M.S.S. v Belgium and Greece", "30696/09", "European Court of Human Rights", ["2011", 1, 21]),
        ("Ligue des droits humains v Conseil des ministres", "C-817/19", "Court of Justice of the European Union",
         ["2022", 6, 21]),
        ("La Quadrature du Net and Others", "C-511/18", "Court of Justice of the European Union", None),
    ]
    for i, (title, number, authority, issued) in enumerate(cases):
        item = {"id": f"case{i + 1:02}", "type": "legal_case", "title": title, "number": number,
                "authority": authority}
        if issued:
            item["issued"] = date(issued)
        out.append(item)
    return out


def main():
    items = (webpages() + reports() + un_documents() + legislation() + treaties() + news()
             + journals_and_books() + title_only_and_cases())
    ids = [i["id"] for i in items]
    assert len(ids) == len(set(ids)), "duplicate ids"
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "items.json").write_text(json.dumps(items, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    # Each source once, as a note of its own, without locator or prefix:
    # the first, full note, where most differences show.
    citations = [f"[@{i}]" for i in ids]
    (OUT / "citations.json").write_text(json.dumps(citations, indent=1) + "\n", encoding="utf-8")
    print(f"{len(items)} items, {len(citations)} citations in {OUT}")


if __name__ == "__main__":
    main()
