"""Made-up German texts for the WordPress fixture sites (written for this project).

Facts follow /work/shared/INCIDENT.md (ODAV AG attack, January 2024).  The
comment texts use the mini markup of :mod:`tests.sites.wptext`.
"""

from __future__ import annotations

POST_TITLE = "Handwerkskammern offline: Cyberangriff auf ODAV trifft Websites & Portale"
POST_AUTHOR = "Katrin Vogt"
POST_AUTHOR_SLUG = "kvogt"
POST_EXCERPT = (
    "Seit Montag sind die Websites vieler Handwerkskammern nicht erreichbar. "
    "Ursache ist ein Angriff auf den IT-Dienstleister ODAV."
)

POST_BODY_HTML = """<p>Seit Montag, dem 8. Januar 2024, sind die Websites zahlreicher \
Handwerkskammern nicht mehr erreichbar. Betroffen sind auch Online-Dienste wie die Kursbuchung, \
Lehrstellenb&ouml;rsen &amp; verschiedene Portale.</p>
<p>Ursache ist ein Sicherheitsvorfall bei der ODAV AG in Straubing. Der IT-Dienstleister \
betreibt f&uuml;r viele Kammern die Websites und teilweise auch das E-Mail-Hosting. Nach \
Angaben des Unternehmens wurde das Rechenzentrum am Freitag, 5. Januar 2024, angegriffen. \
Alle Systeme wurden daraufhin vom Netz genommen.</p>
<div class="werbeblock"><span class="werbeblock-label">Anzeige</span> \
<a href="/werbung/" rel="sponsored">Backup-L&ouml;sungen f&uuml;r Betriebe &#8211; \
jetzt testen</a></div>
<h2>Welche Kammern betroffen sind</h2>
<p>Gemeldet wurden bislang unter anderem die Kammern in Aachen, K&ouml;ln und D&uuml;sseldorf \
sowie S&uuml;dwestfalen mit Sitz in Arnsberg. Einige Kammern sind nur teilweise betroffen, \
etwa weil nur ihr E-Mail-Postfach bei dem Dienstleister liegt.</p>
<p>Die Kammern betonen, dass Pr&uuml;fungen und Kurse wie geplant stattfinden. Telefonisch, \
per E-Mail und vor Ort seien sie weiter erreichbar. Ob Daten abgeflossen sind, ist nach \
bisherigen Angaben nicht bekannt, kann aber nicht ausgeschlossen werden. Die zust&auml;ndigen \
Datenschutzbeh&ouml;rden wurden informiert.</p>
<p>Wer weitere betroffene Kammern kennt, kann gern einen Kommentar hinterlassen.</p>
<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social">\
<h3 class="sd-title">Teilen mit:</h3><div class="sd-content"><ul>\
<li class="share-mastodon"><a rel="nofollow noopener noreferrer" class="share-mastodon sd-button" \
href="?share=mastodon" target="_blank"><span>Mastodon</span></a></li>\
<li class="share-email"><a rel="nofollow noopener noreferrer" class="share-email sd-button" \
href="mailto:?subject=Handwerkskammern%20offline" target="_blank"><span>E-Mail</span></a></li>\
</ul></div></div></div>"""

AUTHORS: list[tuple[str, str]] = [
    ("Meister Röhrig", ""),
    ("Tischlerei Brandt", "https://tischlerei-brandt.example/"),
    ("Azubi_Lena", ""),
    ("Herbert K.", ""),
    ("Sabine aus Aachen", ""),
    ("Elektro-Jan", "https://elektro-jan.example/blog/"),
    ("Anonym", ""),
    ("Dachdecker Jürgen", ""),
    ("Frank W.", ""),
    ("Kfz-Meisterin Ute", ""),
    ("Datenschutz-Nerd", "https://datenschutz-nerd.example/"),
    ("Gerda & Paul", ""),
    ("IT-Admin (Kammer)", ""),
    ("Ralf", ""),
    ("Bäckerei Kühn", "https://baeckerei-kuehn.example/"),
    ("Wolfgang", ""),
    ("Malermeisterin S.", ""),
    ("skeptiker", ""),
    ("Jörg Schäfer", ""),
    ("Nina", ""),
    ("OWL-Handwerker", ""),
    ("Pfälzer Bub", ""),
]

TOP_TEXTS: list[str] = [
    "Bei uns in Aachen ist die Seite der Kammer seit Montag früh weg. Erst dachte ich, "
    "unser Router spinnt. 🙄",
    "Laut Aushang in der Geschäftsstelle laufen die Prüfungen ganz normal weiter.\n"
    "Telefon geht auch, nur eben keine Online-Anmeldung.\n\n"
    "Wer einen Kurs buchen will, muss anrufen.",
    "Das erinnert stark an Südwestfalen-IT im Oktober. Damals waren über 100 Kommunen "
    "betroffen und es hat Monate gedauert.\n\n"
    "Ich fürchte, das wird hier nicht schneller gehen.",
    "Hat jemand eine offizielle Stellungnahme von ODAV gesehen? Auf "
    "[whk-info.de](https://whk-info.example/) kommt bei mir nur eine Zeitüberschreitung.",
    "Die Handwerkskammer Köln hat immerhin auf Social Media informiert: Website und "
    "Online-Dienste sind nicht erreichbar, Beratung läuft über Telefon und E-Mail.",
    "Datenabfluss „nicht auszuschließen“ – das heißt übersetzt: man weiß es nicht. "
    "Ich habe meine Passwörter für das Kammerportal schon mal geändert.",
    "Dortmund und Düsseldorf sind laut Kollegen auch offline. Flensburg ebenfalls, "
    "sagt mein Schwager.",
    "Wir wollten diese Woche die Lehrlingsrolle aktualisieren lassen. Das geht jetzt "
    "wohl nur per Post. Digitalisierung im Handwerk & so …",
    "Mal ehrlich: Warum hostet ein Dienstleister die Websites von dutzenden Kammern in "
    "einem Rechenzentrum? Ein Angriff und alle sind weg.\n\n"
    "Klumpenrisiko nennt man das.",
    "Die Kammer Ostwestfalen-Lippe in Bielefeld schreibt, die Landesbeauftragte für den "
    "Datenschutz sei informiert worden. Immerhin.",
    "Bei der HWK der Pfalz kam heute Mittag eine Notseite. Inhalt: „Unsere Homepage ist "
    "derzeit nicht erreichbar!“ Mehr nicht.",
    "Ich bin Azubi im zweiten Lehrjahr und meine Zwischenprüfung ist nächste Woche. "
    "Weiß jemand, ob die stattfindet?",
    "Quelle für den Freitag als Angriffstag? Ich lese überall 5. Januar, aber bemerkt "
    "hat man es ja erst am Montag.",
    "Unsere Kammer (Braunschweig-Lüneburg-Stade) hat per Rundmail mitgeteilt, dass "
    "E-Mails an die bekannten Adressen   aktuell nicht ankommen.\n"
    "Man soll die Ausweichadresse nutzen.",
    "Südwestfalen in Arnsberg leitet auf die Seite des Bildungszentrums um. "
    "Pragmatisch, muss man sagen 👍",
    "Ich arbeite in der IT eines Handwerksbetriebs. Alle Systeme vom Netz nehmen ist "
    "genau richtig, auch wenn es weh tut.\n\n"
    "Lieber eine Woche offline als monatelang verschlüsselt.\n\n"
    "Nur meine Meinung.",
    "Kleiner Hinweis: Nicht jede Kammer ist betroffen. Die Kammer in Konstanz war bei "
    "mir eben ganz normal erreichbar.",
    "Wer kümmert sich eigentlich um die Meldung beim BSI? Das LKA ermittelt angeblich auch schon.",
    "Seit einer Woche nichts. Ich kann keine Bescheinigungen abrufen und der Kunde will "
    "den Nachweis in < 3 Tagen.",
    "Jetzt auch im Radio gekommen. Der WDR hat berichtet, dass mehrere Kammern in NRW "
    "betroffen sind.",
    "Typisch. Die Online-Kursbuchung war schon vorher eine Katastrophe, jetzt merkt "
    "wenigstens keiner den Unterschied 😂",
    "Hier eine Übersicht, die jemand gebaut hat: "
    "[Liste der Kammer-Seiten](https://kammerstatus.example/liste) – bitte ergänzen, "
    "wenn ihr mehr wisst.",
    "Die Kammer Flensburg meldet auf Nachfrage: Prüfungen finden statt, Beratung vor "
    "Ort ist möglich, nur die Website fehlt.",
    "Gibt es schon Hinweise, wer dahintersteckt? Ransomware, Erpressung? Man hört gar nichts.",
]

REPLY_TEXTS: list[str] = [
    "Bei mir genauso. Nicht dein Router 😉",
    "Die Prüfungen laufen, das hat mir die Ausbildungsberatung heute am Telefon bestätigt.",
    "Der Vergleich hinkt etwas. Bei SIT waren es Kommunen, hier geht es um Kammern. "
    "Aber das Muster ist ähnlich, ja.",
    "Nein, bisher nur die knappe Meldung, dass es einen Sicherheitsvorfall gab.",
    "Danke für den Hinweis! Die Seite war bei mir auch nicht erreichbar.",
    "Passwort ändern schadet nie. Ob da überhaupt Daten abgeflossen sind, weiß im Moment niemand.",
    "Köln kann ich bestätigen. Aachen auch.",
    "Klumpenrisiko ja, aber kleine Kammern können sich kein eigenes Rechenzentrum leisten.",
    "Stimmt, das hat der Hauptgeschäftsführer auch im Interview gesagt.",
    "Zwischenprüfungen finden laut meiner Kammer wie geplant statt. Viel Erfolg!",
    "Der Freitag steht so in der Mitteilung des Dienstleisters.",
    "Bei uns kommen E-Mails inzwischen wieder an, Stand heute Nachmittag.",
    "Ganz so einfach ist es nicht.\n"
    "Manche Kammern hatten nur das Mail-Hosting dort, die Website lief woanders.",
    "Konstanz war nie bei dem Anbieter, soweit ich weiß.",
    "Angeblich ja, aber offiziell bestätigt ist das nicht.",
    "Quelle? Ich finde dazu nichts.",
    "Das ist die beste Zusammenfassung, die ich bisher gelesen habe. Danke!",
    "Haha, leider wahr.",
    "Wurde inzwischen korrigiert: Die Kammer ist doch betroffen, aber nur teilweise.",
    "Meine Info ist von gestern Abend, kann sich also geändert haben.",
    "Das LKA ermittelt, das hat die Kammer auf Nachfrage bestätigt. Mehr Details gibt es nicht.",
    "Bin gespannt, wie lange das dauert. Drei Wochen würde ich mindestens rechnen.",
    "Ergänzung: Auch die Online-Lehrstellenbörse ist weg.",
    "Genau das meinte ich. Danke fürs Klarstellen.",
]

AUTHOR_REPLY = "Danke für die vielen Hinweise! Ich habe den Artikel um eure Informationen ergänzt."

PINGBACK_SOURCES: list[tuple[str, str]] = [
    (
        "Linkschau KW 2: Kammer-Websites nach Angriff offline – Handwerk heute",
        "https://handwerk-heute.example/2024/01/10/linkschau-kw-2/",
    ),
    (
        "Was wir über den ODAV-Vorfall wissen | Sicherheitsnotizen",
        "https://sicherheitsnotizen.example/odav-vorfall-zusammenfassung/",
    ),
    (
        "Presseschau: Handwerkskammern ohne Internet &#8211; Betriebsblog",
        "https://betriebsblog.example/presseschau-kammern/",
    ),
    (
        "Wochenrückblick IT-Sicherheit – Notizen aus der Werkstatt",
        "https://werkstattnotizen.example/wochenrueckblick-2/",
    ),
]

TRACKBACK_SOURCE = (
    "Kammern offline – ein Kommentar | Meisterbrief-Blog",
    "https://meisterbrief-blog.example/kammern-offline-kommentar/",
)
