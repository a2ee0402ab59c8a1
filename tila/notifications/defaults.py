"""Built-in email templates: one per event and language (Finnish, Swedish, English).

Administrators override any of them with an `EmailTemplate` row (Django admin). The texts use
Django template syntax with these variables (all already in the recipient's language):

  name, resource, unit, unit_address, unit_email, unit_phone, date, time, when, subject,
  state, reason, message, url,
  and for series: occurrence_count, occurrences (list of "when" texts), skipped (list of
  {"when", "reason"}), weekdays, first, last.

The HTML body defaults to the plain text in paragraphs (`html_from_text`).
"""

from __future__ import annotations

from django.utils.html import escape

from tila.notifications.models import Event

Text = tuple[str, str]  # (subject, plain text body)

SIGNATURE = {
    "fi": "\n\nYstävällisin terveisin\n{{ unit }}",
    "sv": "\n\nMed vänliga hälsningar\n{{ unit }}",
    "en": "\n\nKind regards\n{{ unit }}",
}
DETAILS = {
    "fi": "\n\nTila: {{ resource }}, {{ unit }}\nAika: {{ when }}{% if subject %}\nTilaisuus: {{ subject }}{% endif %}",
    "sv": "\n\nLokal: {{ resource }}, {{ unit }}\nTid: {{ when }}{% if subject %}\nEvenemang: {{ subject }}{% endif %}",
    "en": "\n\nSpace: {{ resource }}, {{ unit }}\nTime: {{ when }}{% if subject %}\nEvent: {{ subject }}{% endif %}",
}
LINK = {
    "fi": "\n\nVarauksesi näet osoitteessa {{ url }}",
    "sv": "\n\nDina bokningar finns på {{ url }}",
    "en": "\n\nYou can see your reservations at {{ url }}",
}
SERIES_DETAILS = {
    "fi": (
        "\n\nTila: {{ resource }}, {{ unit }}\nAika: {{ weekdays }} klo {{ time }}, {{ first }}–{{ last }}"
        "\nVarattuja kertoja: {{ occurrence_count }}"
    ),
    "sv": (
        "\n\nLokal: {{ resource }}, {{ unit }}\nTid: {{ weekdays }} kl. {{ time }}, {{ first }}–{{ last }}"
        "\nBokade tillfällen: {{ occurrence_count }}"
    ),
    "en": (
        "\n\nSpace: {{ resource }}, {{ unit }}\nTime: {{ weekdays }} at {{ time }}, {{ first }}–{{ last }}"
        "\nOccurrences booked: {{ occurrence_count }}"
    ),
}
SKIPPED = {
    "fi": "{% if skipped %}\n\nNäitä kertoja ei voitu varata:{% for s in skipped %}\n- {{ s.when }}: {{ s.reason }}"
    "{% endfor %}{% endif %}",
    "sv": "{% if skipped %}\n\nDe här tillfällena kunde inte bokas:"
    "{% for s in skipped %}\n- {{ s.when }}: {{ s.reason }}{% endfor %}{% endif %}",
    "en": "{% if skipped %}\n\nThese occurrences could not be booked:"
    "{% for s in skipped %}\n- {{ s.when }}: {{ s.reason }}{% endfor %}{% endif %}",
}
HELLO = {"fi": "Hei {{ name }},\n\n", "sv": "Hej {{ name }},\n\n", "en": "Hello {{ name }},\n\n"}

# (event, language) → (subject, the sentence(s) between the greeting and the details)
LEADS: dict[tuple[str, str], Text] = {
    (Event.REQUEST_RECEIVED, "fi"): (
        "Varauspyyntö vastaanotettu: {{ resource }} {{ date }}",
        "olemme vastaanottaneet varauspyyntösi. Henkilökunta käsittelee sen ja saat viestin, kun se on "
        "vahvistettu tai hylätty.",
    ),
    (Event.REQUEST_RECEIVED, "sv"): (
        "Bokningsförfrågan mottagen: {{ resource }} {{ date }}",
        "vi har tagit emot din bokningsförfrågan. Personalen behandlar den och du får ett meddelande när den "
        "har bekräftats eller avslagits.",
    ),
    (Event.REQUEST_RECEIVED, "en"): (
        "Request received: {{ resource }} {{ date }}",
        "we have received your reservation request. The staff will handle it and you will hear from us when it "
        "has been confirmed or denied.",
    ),
    (Event.CONFIRMED, "fi"): (
        "Varaus vahvistettu: {{ resource }} {{ date }}",
        "varauksesi on vahvistettu. Kalenterimerkintä on liitteenä.",
    ),
    (Event.CONFIRMED, "sv"): (
        "Bokningen är bekräftad: {{ resource }} {{ date }}",
        "din bokning är bekräftad. En kalenderpost finns som bilaga.",
    ),
    (Event.CONFIRMED, "en"): (
        "Reservation confirmed: {{ resource }} {{ date }}",
        "your reservation is confirmed. A calendar entry is attached.",
    ),
    (Event.DENIED, "fi"): (
        "Varauspyyntöä ei voitu hyväksyä: {{ resource }} {{ date }}",
        "valitettavasti emme voi hyväksyä varauspyyntöäsi.{% if reason %}\n\nSyy: {{ reason }}{% endif %}",
    ),
    (Event.DENIED, "sv"): (
        "Bokningsförfrågan kunde inte godkännas: {{ resource }} {{ date }}",
        "tyvärr kan vi inte godkänna din bokningsförfrågan.{% if reason %}\n\nOrsak: {{ reason }}{% endif %}",
    ),
    (Event.DENIED, "en"): (
        "Request denied: {{ resource }} {{ date }}",
        "unfortunately we cannot approve your reservation request.{% if reason %}\n\nReason: {{ reason }}{% endif %}",
    ),
    (Event.CANCELLED, "fi"): (
        "Varaus peruttu: {{ resource }} {{ date }}",
        "varaus on peruttu.{% if reason %}\n\nSyy: {{ reason }}{% endif %}",
    ),
    (Event.CANCELLED, "sv"): (
        "Bokningen är avbokad: {{ resource }} {{ date }}",
        "bokningen har avbokats.{% if reason %}\n\nOrsak: {{ reason }}{% endif %}",
    ),
    (Event.CANCELLED, "en"): (
        "Reservation cancelled: {{ resource }} {{ date }}",
        "the reservation has been cancelled.{% if reason %}\n\nReason: {{ reason }}{% endif %}",
    ),
    (Event.CHANGED, "fi"): (
        "Varausta muutettu: {{ resource }} {{ date }}",
        "varauksesi aikaa on muutettu. Uudet tiedot:",
    ),
    (Event.CHANGED, "sv"): (
        "Bokningen har ändrats: {{ resource }} {{ date }}",
        "tiden för din bokning har ändrats. De nya uppgifterna:",
    ),
    (Event.CHANGED, "en"): (
        "Reservation changed: {{ resource }} {{ date }}",
        "the time of your reservation has changed. The new details:",
    ),
    (Event.REMINDER, "fi"): (
        "Muistutus: {{ resource }} {{ date }}",
        "muistutamme tulevasta varauksestasi.",
    ),
    (Event.REMINDER, "sv"): (
        "Påminnelse: {{ resource }} {{ date }}",
        "vi påminner om din kommande bokning.",
    ),
    (Event.REMINDER, "en"): (
        "Reminder: {{ resource }} {{ date }}",
        "this is a reminder of your upcoming reservation.",
    ),
    (Event.INFO_REQUESTED, "fi"): (
        "Tarvitsemme lisätietoja varauspyyntöösi: {{ resource }} {{ date }}",
        "tarvitsemme lisätietoja ennen kuin voimme käsitellä varauspyyntösi:\n\n{{ message }}\n\n"
        "Vastaa tähän viestiin tai ota yhteyttä: {{ unit_email }} {{ unit_phone }}",
    ),
    (Event.INFO_REQUESTED, "sv"): (
        "Vi behöver mer information om din förfrågan: {{ resource }} {{ date }}",
        "vi behöver mer information innan vi kan behandla din bokningsförfrågan:\n\n{{ message }}\n\n"
        "Svara på det här meddelandet eller kontakta oss: {{ unit_email }} {{ unit_phone }}",
    ),
    (Event.INFO_REQUESTED, "en"): (
        "We need more information about your request: {{ resource }} {{ date }}",
        "we need more information before we can handle your reservation request:\n\n{{ message }}\n\n"
        "Reply to this message or contact us: {{ unit_email }} {{ unit_phone }}",
    ),
    (Event.SERIES_CREATED, "fi"): (
        "Toistuva varaus vahvistettu: {{ resource }}",
        "toistuva varauksesi on tehty. Kalenterimerkinnät ovat liitteenä.",
    ),
    (Event.SERIES_CREATED, "sv"): (
        "Återkommande bokning bekräftad: {{ resource }}",
        "din återkommande bokning har gjorts. Kalenterposterna finns som bilaga.",
    ),
    (Event.SERIES_CREATED, "en"): (
        "Recurring reservation confirmed: {{ resource }}",
        "your recurring reservation has been made. The calendar entries are attached.",
    ),
    (Event.SERIES_CANCELLED, "fi"): (
        "Toistuva varaus peruttu: {{ resource }}",
        "toistuvan varauksesi jäljellä olevat kerrat ({{ occurrence_count }}) on peruttu."
        "{% if reason %}\n\nSyy: {{ reason }}{% endif %}",
    ),
    (Event.SERIES_CANCELLED, "sv"): (
        "Återkommande bokning avbokad: {{ resource }}",
        "de återstående tillfällena ({{ occurrence_count }}) av din återkommande bokning har avbokats."
        "{% if reason %}\n\nOrsak: {{ reason }}{% endif %}",
    ),
    (Event.SERIES_CANCELLED, "en"): (
        "Recurring reservation cancelled: {{ resource }}",
        "the remaining occurrences ({{ occurrence_count }}) of your recurring reservation have been cancelled."
        "{% if reason %}\n\nReason: {{ reason }}{% endif %}",
    ),
    (Event.SERIES_CHANGED, "fi"): (
        "Toistuvaa varausta muutettu: {{ resource }}",
        "toistuvan varauksesi jäljellä olevien kertojen aikaa on muutettu.",
    ),
    (Event.SERIES_CHANGED, "sv"): (
        "Återkommande bokning ändrad: {{ resource }}",
        "tiden för de återstående tillfällena av din återkommande bokning har ändrats.",
    ),
    (Event.SERIES_CHANGED, "en"): (
        "Recurring reservation changed: {{ resource }}",
        "the time of the remaining occurrences of your recurring reservation has changed.",
    ),
}
SERIES_EVENTS = {Event.SERIES_CREATED, Event.SERIES_CANCELLED, Event.SERIES_CHANGED}


def _body(event: str, lang: str, lead: str) -> str:
    if event in SERIES_EVENTS:
        details = SERIES_DETAILS[lang] + (SKIPPED[lang] if event != Event.SERIES_CANCELLED else "")
    else:
        details = DETAILS[lang]
    return HELLO[lang] + lead + details + LINK[lang] + SIGNATURE[lang]


def html_from_text(text: str) -> str:
    """Plain-text template → HTML template: paragraphs at blank lines, line breaks kept.

    Template tags pass through untouched; the HTML is rendered with autoescaping on, so variables
    are escaped there."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    return "\n".join("<p>" + escape_static(p).replace("\n", "<br>\n") + "</p>" for p in paragraphs)


def escape_static(text: str) -> str:
    """Escape the literal text around template tags (the tags stay as they are)."""
    out: list[str] = []
    rest = text
    while rest:
        start = min((i for i in (rest.find("{{"), rest.find("{%")) if i >= 0), default=-1)
        if start < 0:
            out.append(escape(rest))
            break
        closer = "}}" if rest.startswith("{{", start) else "%}"
        end = rest.find(closer, start)
        if end < 0:
            out.append(escape(rest))
            break
        out.append(escape(rest[:start]) + rest[start : end + 2])
        rest = rest[end + 2 :]
    return "".join(out)


def default_template(event: str, lang: str) -> tuple[str, str, str]:
    """(subject, text, html) of the built-in template."""
    subject, lead = LEADS[(event, lang)]
    text = _body(event, lang, lead)
    return subject, text, html_from_text(text)
