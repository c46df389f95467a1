"""Typed widget detectors: rules as data (a reason code, a pattern, a score, a length limit).

Every pattern must match a whole line (``fullmatch``) after leading bullets are stripped; it
is written in lower case and matched against the lowercased line, unless the rule is ``cased``
(then it sees the line as it is). A line is tried only against the rules that allow its length
and whose pattern can start with its first and end with its last character (read from the
parsed patterns); long lines (prose) skip the rules entirely, and the phrase rules are searched
once per document. A ``RuleSet`` remembers the hit of every line it matched (menus, footers and
headers repeat across a corpus; at most ``_LINE_CACHE`` lines, a few MB).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate, repeat
from typing import Any, Callable, Sequence

try:  # the regex parser, to read which characters a rule's match can start or end with
    import re._constants as sc  # Python >= 3.11
    import re._parser as sre_parse
except ImportError:  # Python 3.10
    import sre_constants as sc  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]


@dataclass(frozen=True)
class Rule:
    """One widget shape: lines that fully match ``pattern`` are removed as ``reason``."""

    reason: str
    pattern: str
    score: float = 1.0
    max_chars: int = 60  # longer lines are never tested against this rule
    digit: bool = False  # the line must contain a digit (a cheap prefilter)
    cased: bool = False  # matched against the line as it is: needs a capital letter in it


@dataclass(frozen=True)
class PhraseRule:
    """Lines (up to ``max_chars``) containing one of ``phrases`` (lowercase literals) anywhere."""

    reason: str
    phrases: tuple[str, ...]
    score: float = 1.0
    max_chars: int = 300


_LITERAL = re.compile(r"[\w '’-]+")


def _trie(alternation: str) -> str:
    """An alternation of words as a prefix tree (one pass per line instead of one per word).

    Items that are not plain words (they hold regex syntax) are kept as they are, after the tree.
    """
    words = [w for w in alternation.split("|") if _LITERAL.fullmatch(w)]
    other = [w for w in alternation.split("|") if not _LITERAL.fullmatch(w)]
    return _tree(words, other)


def _tree(words: list[str], other: tuple[str, ...] | list[str] = ()) -> str:
    """Literal ``words`` as one prefix-tree regex, then the ``other`` alternatives."""
    tree: dict = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            return "(?:" + body + ")?"
        return body

    parts = ([emit(tree)] if words else []) + list(other)
    return "(?:" + "|".join(parts) + ")"


# --- vocabulary (Russian, Kazakh, English; German, French, Spanish, Polish keywords) --------

_MONTHS = _trie(
    r"января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|"
    r"январь|февраль|март|апрель|май|июнь|июль|август|сентябрь|октябрь|ноябрь|декабрь|"
    r"янв|фев|мар|апр|июн|июл|авг|сен|сент|окт|ноя|дек|"
    r"қаңтар\w*|ақпан\w*|наурыз\w*|сәуір\w*|мамыр\w*|маусым\w*|шілде\w*|тамыз\w*|"
    r"қыркүйек\w*|қазан\w*|қараша\w*|желтоқсан\w*|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    r"januar|februar|märz|mai|juni|juli|oktober|dezember|"
    r"janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|"
    r"noviembre|diciembre|"
    r"stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|października|"
    r"listopada|grudnia|styczeń|luty|kwiecień|czerwiec|lipiec|sierpień|wrzesień|"
    r"październik|listopad|grudzień")
_WEEKDAYS = _trie(
    r"понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|"
    r"пн|вт|ср|чт|пт|сб|вс|дүйсенбі|сейсенбі|сәрсенбі|бейсенбі|жұма|сенбі|жексенбі|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|"
    r"thurs|fri|sat|sun|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|"
    r"viernes|sábado|domingo|poniedziałek|wtorek|środa|czwartek|piątek|sobota|niedziela")
_TIME = r"\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?\s?m\.?)?(?:\s+[a-z]{2,4})?"
_AT = r"(?:,?\s*(?:в|at|à|um|a las|o|kl\.?|сағ\.?)?\s*" + _TIME + r")?"
_YEAR = r"\d{4}(?:\s*(?:г\.?|года?|ж\.?|жыл\w*|р\.?|r\.?))?"
_WD = r"(?:(?:" + _WEEKDAYS + r")\.?,?\s+)?"
_DATE = (
    _WD + r"(?:\d{1,2}(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+)?" + _MONTHS + r"\.?"
    r"(?:,?\s+(?:de\s+)?" + _YEAR + r")?" + _AT +
    r"|" + _MONTHS + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+" + _YEAR + r")?" + _AT +
    r"|" + r"\d{1,2}[./]\d{1,2}[./]\d{2,4}" + _AT + r")"
    r"|" + _YEAR + r"\s+" + _MONTHS + r"\s+\d{1,2}(?:\s*\w{0,3})?" + _AT +
    r"|" + r"\d{4}\s*(?:год|года|г\.|жыл|жылы|year|jahr|année|año|rok)" +
    r"|" + r"\d{4}-\d{2}-\d{2}(?:[t\s]\d{2}:\d{2}(?::\d{2})?\S*)?" +
    r"|" + _TIME +
    r"|" + r"(?:сегодня|вчера|позавчера|бүгін|кеше|today|yesterday|heute|gestern|"
    r"aujourd'hui|hier|hoy|ayer|dzisiaj|dziś|wczoraj)" + _AT +
    r"|" + r"\d+\s*(?:минут\w*|мин\.?|час\w*|ч\.|дн\w*|день|минут бұрын|сағат бұрын|"
    r"minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s+(?:назад|бұрын|ago)" + _AT)
_DATE = "(?:" + _DATE + ")"
_RELATIVE_DAY = (r"(?:сегодня|вчера|позавчера|бүгін|кеше|today|yesterday|heute|gestern|"
                 r"aujourd'hui|hier|hoy|ayer|dzisiaj|dziś|wczoraj)")
_DATE_PREFIX = (
    r"(?:опубликовано|обновлено|дата публикации|дата|добавлено|изменено|жарияланды|"
    r"жарияланған|published|updated|posted|last updated|date|veröffentlicht|aktualisiert|"
    r"stand|publié|mis à jour|le|publicado|actualizado|opublikowano|aktualizacja)"
    r"(?:\s+(?:on|am|le|el|в|at))?\s*:?\s*")

_UI_TOKENS = _trie(
    # English
    r"a|a\+|a-|aa|print|share|share this|tweet|email|e-mail|mail|subscribe|subscribe now|"
    r"sign in|sign up|log in|login|log out|logout|register|search|menu|close|home|more|next|"
    r"previous|prev|back|back to top|top|reply|comment|comments|leave a comment|like|follow|"
    r"facebook|twitter|x|instagram|linkedin|youtube|whatsapp|telegram|vk|vkontakte|pinterest|"
    r"reddit|flipboard|tiktok|rss|rss feed|copy link|copy|save|bookmark|advertisement|ad|ads|"
    r"sponsored|skip to content|skip to main content|skip to navigation|load more|show more|"
    r"view all|see all|see more|accept|accept all|reject|got it|ok|cookie settings|newsletter|"
    r"newsletters|contact|contact us|about|about us|advert|advertising|privacy|privacy policy|terms|terms of use|"
    r"terms of service|sitemap|cookie policy|faq|help|careers|advertise|subscriptions|"
    r"listen|listen to this article|play|pause|watch|video|audio|gallery|photos|open|expand|"
    r"collapse|toggle navigation|english|edition|"
    # Russian
    r"печать|распечатать|версия для печати|поделиться|подписаться|подписка|войти|вход|"
    r"регистрация|выйти|поиск|найти|меню|закрыть|главная|на главную|ещё|еще|далее|назад|"
    r"вперед|вперёд|наверх|ответить|комментировать|комментарии|комментарий|нравится|"
    r"реклама|показать ещё|показать еще|загрузить ещё|загрузить еще|все новости|все статьи|"
    r"вконтакте|вк|одноклассники|ок|телеграм|телеграмм|дзен|яндекс дзен|рутуб|принять|"
    r"согласен|обратная связь|контакты|о нас|о проекте|карта сайта|"
    r"политика конфиденциальности|пользовательское соглашение|лента новостей|"
    r"версия для слабовидящих|слушать|смотреть|видео|фото|фотогалерея|галерея|"
    r"скопировать ссылку|копировать ссылку|сохранить|в закладки|рус|каз|eng|қаз|"
    # Kazakh
    r"бөлісу|жазылу|басып шығару|кіру|тіркелу|іздеу|мәзір|жабу|басты бет|толығырақ|"
    r"барлық жаңалықтар|пікірлер|пікір қалдыру|жарнама|байланыс|бізбен байланыс|"
    # German
    r"drucken|teilen|abonnieren|anmelden|abmelden|registrieren|suche|menü|schließen|"
    r"startseite|mehr|weiter|zurück|nach oben|antworten|kommentare|werbung|anzeige|"
    r"impressum|datenschutz|kontakt|weiterlesen|mehr lesen|akzeptieren|"
    # French
    r"imprimer|partager|s'abonner|abonnez-vous|se connecter|connexion|inscription|rechercher|"
    r"recherche|fermer|accueil|plus|suivant|précédent|retour en haut|répondre|commentaires|"
    r"publicité|mentions légales|lire la suite|accepter|"
    # Spanish
    r"imprimir|compartir|suscribirse|suscríbete|iniciar sesión|registrarse|buscar|menú|cerrar|"
    r"inicio|más|siguiente|anterior|volver arriba|responder|comentarios|publicidad|contacto|"
    r"aviso legal|aceptar|"
    # Polish
    r"drukuj|udostępnij|subskrybuj|zaloguj|zaloguj się|zarejestruj|szukaj|zamknij|"
    r"strona główna|więcej|dalej|wstecz|do góry|odpowiedz|komentarze|reklama|czytaj więcej|"
    r"akceptuję")
_SOCIAL = _trie(r"facebook|twitter|x|instagram|linkedin|youtube|whatsapp|telegram|vk|vkontakte|"
           r"вконтакте|одноклассники|телеграм\w*|pinterest|reddit|flipboard|tiktok|rss|"
           r"email|e-mail|дзен|threads|viber")
_SEP = r"[\s|•·/,;]+"

_HEADERS = _trie(
    r"в тренде|тренды|читайте также|читайте еще|читайте ещё|читайте так же|смотрите также|"
    r"популярное|популярные новости|самое читаемое|самое популярное|самые читаемые|"
    r"самое обсуждаемое|другие новости|еще новости|ещё новости|новости по теме|"
    r"похожие новости|похожие материалы|похожие статьи|последние новости|лента новостей|"
    r"главные новости|главное|главное за день|выбор редакции|материалы по теме|"
    r"по теме|рекомендуем|рекомендуем прочитать|вам может быть интересно|"
    r"вам также может понравиться|актуально|сейчас читают|новости партнеров|"
    r"новости партнёров|партнерские материалы|интересное|это интересно|"
    r"оқи отырыңыз|тағы оқыңыз|көп оқылған|соңғы жаңалықтар|өзекті|ұқсас жаңалықтар|"
    r"тақырыпқа қатысты|танымал|"
    r"read more|read also|also read|see also|related|related articles|related stories|"
    r"related news|related posts|related content|related coverage|related topics|"
    r"more stories|more news|more on this|more on this story|most read|most popular|"
    r"most viewed|most shared|most commented|trending|trending now|trending stories|"
    r"recommended|recommended for you|recommended stories|you may also like|"
    r"you might also like|you may be interested in|don't miss|editor's picks|"
    r"editors' picks|top stories|latest news|latest stories|latest|popular|popular now|"
    r"must read|what to read next|up next|story timeline|more from [\w .'&-]{1,40}|"
    r"lesen sie auch|lesen sie mehr|mehr zum thema|auch interessant|"
    r"das könnte sie auch interessieren|meistgelesen|meistgelesene artikel|"
    r"lire aussi|à lire aussi|a lire aussi|sur le même sujet|les plus lus|"
    r"leer más|lea también|lee también|te puede interesar|lo más leído|"
    r"noticias relacionadas|czytaj też|czytaj także|zobacz też|zobacz także|"
    r"najczęściej czytane|polecamy|najnowsze")
_TEASER_LEADS = _trie(
    r"читайте также|читайте еще|читайте ещё|читайте так же|смотрите также|"
    r"напомним,? ранее|ранее мы писали|ранее мы сообщали|"
    r"оқи отырыңыз|тағы оқыңыз|read more|read also|also read|see also|related|"
    r"lesen sie auch|mehr zum thema|lire aussi|à lire aussi|a lire aussi|leer más|"
    r"lea también|lee también|czytaj też|czytaj także|zobacz też|zobacz także")

_EMOJI = (r"[\u2190-\u21ff\u2300-\u23ff\u25a0-\u27bf\u2900-\u297f\u2b00-\u2bff"
          r"\U0001f000-\U0001faff]\ufe0f?")
_NUM = r"[+-]?\d+(?:[.,]\d+)?"
_CODE = r"(?:usd|eur|rub|kzt|gbp|cny|chf|jpy|try|uah|byn|kgs|uzs|btc|eth)"  # may stand alone: "USD:"
_CUR = r"(?:usd|eur|rub|kzt|gbp|cny|chf|jpy|try|uah|byn|kgs|uzs|btc|eth|brent|wti|доллар\w*|евро|рубл\w*|юан\w*|тенге|нефть|золото|gold|oil)"
_QUOTE = (r"\s*" + r"[$€₽₸£¥]" + r"?\s*[+-]?\d+(?:[.,]\d+)?\s*[$€₽₸£¥]?%?"
          r"(?:\s*[/|↑↓▲▼]\s*[+-]?\d+(?:[.,]\d+)?%?)?\s*[↑↓▲▼]?")
_CURSIGN = r"[$€₽₸£¥]"

RULES: tuple[Rule, ...] = (
    Rule("widget:separator", r"[-–—_=*•·~.#/\\|+<>«»◆◇■□●○]+(?:\s*[-–—_=*•·~.#/\\|+<>◆◇■□●○]+)*",
         1.0, 200),
    Rule("widget:widget_id", r"(?=\S*\d{4})[a-z]{1,10}(?:[-_][a-z0-9]{1,24}){1,5}", digit=True),
    Rule("widget:widget_id", r"[0-9a-f]{16,}"),
    Rule("widget:exchange_rate", _CODE + r"(?:\s+" + _CODE + r")?\s*[:=]?"),
    Rule("widget:exchange_rate", _CUR + r"(?:\s+" + _CUR + r")?\s*[:=]?" + _QUOTE, digit=True),
    Rule("widget:exchange_rate", _CURSIGN + r"\s*" + _NUM + r"(?:\s*/\s*" + _NUM + r")?", digit=True),
    Rule("widget:exchange_rate", _NUM + r"\s*/\s*" + _NUM, digit=True),
    Rule("widget:exchange_rate", r"\d+[.,]\d{1,4}", 0.8, digit=True),
    Rule("widget:weather", r"(?:(?:погода|weather|ауа райы|wetter|météo|tiempo|pogoda)\s*[,:]?\s*)?"
         r"(?:[\w-]+\s*[,:]?\s*)?[+\-−–]?\d{1,2}\s*°\s*[cfс]?(?:\s*[/…\-–]\s*[+\-−–]?\d{1,2}\s*°?\s*[cfс]?)?"
         r"(?:\s+[\w-]+){0,2}", digit=True),
    Rule("widget:date", r"(?:" + _DATE_PREFIX + r")?" + _DATE + r"(?:\s*[|,/·•–—-]\s*" + _DATE + r")?",
         1.0, 80, digit=True),
    Rule("widget:date", _RELATIVE_DAY),
    Rule("widget:counter", r"(?:" + _EMOJI + r"\s*)?\d[\d\s.,]*\s*[kкmм]?\+?", digit=True),
    Rule("widget:counter", r"(?:" + _EMOJI + r"\s*)?\d[\d\s.,]*[kкmм]?\s*(?:views?|comments?|likes?|shares?|reads?|"
         r"replies|просмотр\w*|комментари\w*|коммент\w*|лайк\w*|прочтени\w*|пікір\w*|"
         r"қаралым\w*|рет қаралды|aufrufe|kommentare?|vues|commentaires?|vistas|comentarios?|"
         r"visitas|wyświetle\w*|komentarz\w*|odsłon\w*)", digit=True),
    Rule("widget:counter", r"\(?(?:(?:image|photo|picture|slide|video|фото|слайд|видео|сурет|bild|"
         r"zdjęcie)\s+)?\d+\s*(?:of|из|/|von|de|z)\s*\d+\)?", 1.0, 40, digit=True),
    Rule("widget:counter", r"\(\d+\s*(?:videos?|photos?|images?|фото|видео|comments?|"
         r"комментари\w*)\)", 1.0, 40, digit=True),
    Rule("widget:counter", r"(?:views|comments|likes|просмотры|комментарии|комментариев|"
         r"пікірлер|kommentare|commentaires|comentarios|komentarze)\s*[:(]?\s*\d[\d\s]*\)?",
         digit=True),
    Rule("widget:comments", r"(?:\d+\s+)?(?:comments?|responses?|replies|reader comments|"
         r"leave a (?:comment|reply)|post a comment|add a comment|join the (?:discussion|conversation)|"
         r"show comments|view comments|комментарии|комментариев|комментария|оставить комментарий|"
         r"добавить комментарий|обсуждение|пікірлер|пікір қалдыру|kommentare|kommentar schreiben|"
         r"commentaires|laisser un commentaire|comentarios|deja un comentario|komentarze|"
         r"dodaj komentarz)(?:\s*\(\d+\))?\s*:?"),
    Rule("widget:comments", r"[\w .'’@-]{1,40}\s+(?:says|said|wrote|пишет|написал[аи]?):", 0.8),
    Rule("widget:ui", r"(?:" + _UI_TOKENS + r")(?:" + _SEP + r"(?:" + _UI_TOKENS + r"))*\s*[:.…»›>]?", 0.9,
         120),
    Rule("widget:ui", r"(?:share|follow|like|find|join)(?:\s+[\w.'’&-]+){0,4}\s+on\s+(?:" + _SOCIAL + r")"
         r"(?:" + _SEP + r"(?:" + _SOCIAL + r"))*", 0.9, 100),
    Rule("widget:ui", r"(?:поделиться|подписывайтесь|подпишитесь|следите за нами|следите за новостями|"
         r"присоединяйтесь|наш канал|мы в|читайте нас|бізді|жазылыңыз|folgen sie uns|suivez-nous|"
         r"síguenos|obserwuj nas|subscribe to|sign up for|get the latest)\b.{0,160}", 0.9, 200),
    Rule("widget:copyright", r"(?:©|\(c\)|copyright|все права защищены|all rights reserved|"
         r"alle rechte vorbehalten|tous droits réservés|todos los derechos reservados|"
         r"wszelkie prawa zastrzeżone|барлық құқықтар қорғалған).{0,250}", 1.0, 300),
    Rule("widget:credit", r"(?:фото|фотография|фотограф|видео|иллюстрация|источник|коллаж|"
         r"инфографика|сурет|фото и видео|фото/видео|photo|photos|image|images|picture|credit|"
         r"credits|image credit|photo credit|photograph|video|source|illustration|foto|fot\.|"
         r"bild|quelle|crédit|crédits|fuente|źródło|zdjęcie)"
         r"(?:\s+(?:by|from|courtesy of|автора|из открытых источников|предоставлено|с сайта)\b)?"
         r"\s*[:\-–—©/|]\s*.{1,150}", 1.0, 160),
    Rule("widget:credit", r"(?:фото|photo|image|source|источник)\s+(?:by|из открытых источников|"
         r"из архива|с сайта|автора|предоставлено|courtesy of)\b.{0,120}", 1.0, 160),
    Rule("widget:byline", r"(?i:by|автор|авторы|author|von|par|por|autor)\s*:?\s+[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]"
         r"[\w.'’-]*(?:\s+(?i:and|и|&|,)?\s*[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][\w.'’-]*){0,5}"
         r"(?:\s*[,|–—-]?\s*(?i:" + _DATE + r"))?", 0.9, 100, cased=True),
    Rule("widget:byline", r"(?:[A-ZА-ЯЁ][\w.'’-]*\s+){1,4}[|,–—-]?\s*(?i:" + _DATE + ")", 0.9, 80,
         digit=True, cased=True),
    Rule("widget:trending_header", r"(?:" + _HEADERS + r")\s*[:.!…]*\s*[»›>→↓⬇]*", 1.0, 60),
    Rule("widget:teaser", r"(?:" + _TEASER_LEADS + r")\b\s*[:.—–-]?\s*[^.!?]{1,250}[.!?…]?", 0.9, 280),
    Rule("widget:tags", r"(?:теги|тэги|метки|ключевые слова|тегтер|tags?|topics|keywords|"
         r"schlagwörter|schlagworte|étiquettes|mots-clés|mots clés|etiquetas|tagi|"
         r"słowa kluczowe)\s*[:\-–—]?\s+[^.!?]{1,250}", 1.0, 300),
    Rule("widget:tags", r"(?:рубрика|рубрики|категория|категории|санат|category|categories|"
         r"filed under|posted in|themen|catégories|temas|categorías|kategorie|kategoria)"
         r"\s*:\s*[^.!?]{1,250}", 1.0, 300),
    Rule("widget:tags", r"(?:#[\w-]+[\s,]*)+", 1.0, 200),
    Rule("widget:headline_list", r"\d{1,2}\s*[.)]?\s*" + _EMOJI + r".{3,250}", 0.9, 300, digit=True),
)

# tested (on the lowercased line) when no whole-line rule matched
PHRASES: tuple[PhraseRule, ...] = (
    PhraseRule("widget:copyright", ("©", "все права защищены", "all rights reserved",
                                    "alle rechte vorbehalten", "tous droits réservés",
                                    "todos los derechos reservados", "wszelkie prawa zastrzeżone",
                                    "барлық құқықтар қорғалған", "при цитировании",
                                    "при использовании материалов"), 0.9),
    PhraseRule("widget:cookies", ("cookie", "куки"), 0.9, 400),
    PhraseRule("widget:subscribe", ("newsletter", "sign up for", "subscribe to", "unsubscribe",
                                    "your inbox", "email address", "activation link",
                                    "подпишитесь на", "подписаться на", "рассылк",
                                    "abonnieren sie", "inscrivez-vous", "suscríbete",
                                    "zapisz się"), 0.8, 250),
    PhraseRule("widget:legal", ("privacy policy", "terms of service", "terms of use",
                                "registered trademark", "recaptcha", "personal data",
                                "subject to copyright", "food and drug administration",
                                "политика конфиденциальности", "пользовательское соглашение",
                                "персональных данных", "datenschutzerklärung",
                                "politique de confidentialité", "política de privacidad",
                                "polityka prywatności"), 0.8, 400),
    # a photo caption ending in its credit: "... (AP Photo/Alan Diaz, File)"
    PhraseRule("widget:credit", ("photo/", " photo)", "/ associated press)", "getty images)",
                                 "(getty images", "image copyright", "image caption",
                                 "courtesy of", "фото:", "фото -"), 0.8, 300),
)

_BULLET_CHARS = "•·▪▸►▶◦* \t"


Hit = tuple[str, float]  # (reason, score)


class RuleSet:
    """The compiled rules: ``match(text)`` / ``match_lines(texts)`` -> (reason, score) or None."""

    def __init__(self, rules: tuple[Rule, ...] = RULES,
                 phrases: tuple[PhraseRule, ...] = PHRASES) -> None:
        self.rules = rules
        self.phrases = phrases
        self.max_chars = max([r.max_chars for r in rules] + [p.max_chars for p in phrases])
        self._phrases = [(ph, p) for p in phrases for ph in p.phrases]  # in rule order
        compiled = [_compile(r) for r in rules]
        # per length tier the rules allowing a line of that length
        tiers = [(limit, _Tier(compiled, limit)) for limit in sorted({r.max_chars for r in rules})]
        # the tier of a line of n chars: the first whose limit allows n (None past the last)
        self._tier_of = [next((t[1] for t in tiers if n <= t[0]), None)
                         for n in range(self.max_chars + 1)]
        # line -> its hit: boilerplate lines repeat across a corpus (menus, footers, headers)
        self._lines: dict[str, Hit | None] = {}

    def clear_line_cache(self) -> None:
        """Forget the lines matched so far (the cache also clears itself when full)."""
        self._lines.clear()

    def match(self, text: str) -> Hit | None:
        """The first rule matching the whole line (leading bullets ignored), or None."""
        return self.match_lines([text])[0]

    def match_lines(self, texts: Sequence[str], skip: Sequence[bool] | None = None
                    ) -> list[Hit | None]:
        """``match`` for every line of a document (lines with ``skip[i]`` are left None).

        A line seen before (up to ``_LINE_CACHE`` distinct lines) takes its cached hit; the
        phrase rules are searched once in the other lines joined.
        """
        max_chars, lines = self.max_chars, self._lines
        get = lines.get
        out: list[Hit | None | object] = [  # _MISS: a line to match that is not in the cache
            get(t, _MISS) if 0 < len(t) <= max_chars and not s else None
            for t, s in zip(texts, repeat(False) if skip is None else skip)]
        todo = [i for i, hit in enumerate(out) if hit is _MISS]
        if todo:
            new = self._match_new([texts[i] for i in todo])
            if len(lines) + len(new) > _LINE_CACHE:
                lines.clear()
            for i, hit in zip(todo, new):
                out[i] = lines[texts[i]] = hit
        return out  # type: ignore[return-value]  # no _MISS is left

    def _match_new(self, texts: list[str]) -> list[Hit | None]:
        """``match`` for lines of 1 to ``max_chars`` characters; the phrase rules are searched
        once in the lines joined (lowercased in one call: lowercasing never crosses a line end)."""
        out: list[Hit | None] = [None] * len(texts)
        tier_of, digit = self._tier_of, _DIGIT.search
        doc = "\n".join(texts).lower()
        lows = doc.split("\n")
        if len(lows) != len(texts):  # a line holding a newline: lowercase line by line
            lows = [t.lower() for t in texts]
            doc = "\n".join(lows)
        phrased = self._phrase_lines(doc, lows)
        for i, text in enumerate(texts):
            if text[0] in _BULLET_CHARS:
                out[i] = self._match_alone(text, lows[i], phrased.get(i))
                continue
            n = len(text)
            tier = tier_of[n]
            if tier is not None:
                hit = tier.match(lows[i], text, digit(text) is not None)
                if hit is not None:
                    out[i] = hit
                    continue
            found = phrased.get(i)
            if found is not None:
                out[i] = _first_phrase(found, n, 0)
        return out

    def _match_alone(self, text: str, low: str, found: list[tuple[PhraseRule, int]] | None
                     ) -> Hit | None:
        """``match`` for a line starting with a bullet: the rules see it without its bullets."""
        stripped = text.lstrip(_BULLET_CHARS)
        if not stripped:
            return ("widget:separator", 1.0)
        cut = len(text) - len(stripped)
        n = len(stripped)
        tier = self._tier_of[n]
        if tier is not None:
            hit = tier.match(low[cut:], stripped, _DIGIT.search(stripped) is not None)
            if hit is not None:
                return hit
        return None if found is None else _first_phrase(found, n, cut)

    def _phrase_lines(self, doc: str, lows: list[str]) -> dict[int, list[tuple[PhraseRule, int]]]:
        """Line index -> (phrase rule, offset in the line) of every phrase occurrence, in rule
        order, found by searching the document (``lows`` joined by newlines) once per phrase."""
        starts: list[int] | None = None  # where each line starts in ``doc`` (on the first hit)
        found: dict[int, list[tuple[PhraseRule, int]]] = {}
        find = doc.find
        for ph, p in self._phrases:
            pos = find(ph)
            while pos != -1:
                if starts is None:
                    starts = list(accumulate((len(x) + 1 for x in lows[:-1]), initial=0))
                i = bisect_right(starts, pos) - 1
                found.setdefault(i, []).append((p, pos - starts[i]))
                pos = find(ph, pos + 1)
        return found


def _first_phrase(found: list[tuple[PhraseRule, int]], n: int, cut: int) -> Hit | None:
    """The first phrase rule (in order) allowing a line of ``n`` chars with one of its phrases
    past the line's first ``cut`` chars (its bullets)."""
    for p, at in found:
        if n <= p.max_chars and at >= cut:
            return (p.reason, p.score)
    return None


class _Tier:
    """The rules allowed for one line length: the plain ones (tried first, on the lowercased
    line), then the cased ones (on the line as it is, when it has a capital letter). A line is
    tried only against the rules whose pattern can start with its first character and end with
    its last one (rule sets cached per character as bit masks)."""

    def __init__(self, compiled: list[_Compiled], limit: int) -> None:
        chosen = [c for c in compiled if not c[0].cased and c[0].max_chars >= limit] + \
            [c for c in compiled if c[0].cased and c[0].max_chars >= limit]
        self._rules = [(c[1], c[0].cased, (c[0].reason, c[0].score)) for c in chosen]
        self._tests = [(c[0].digit, c[0].cased, c[2], c[3]) for c in chosen]
        # (first and last characters of the lowercased line and of the line, digit, capitals)
        # -> the candidate rules, in order; the lists are shared per candidate set
        self._cands: dict[tuple[str, str, str, str, bool, bool], list[_Candidate]] = {}
        # per character, the mask of the rules that may start (end) with it, and the
        # candidate list of each mask
        self._edges: tuple[dict[str, int], dict[str, int]] = ({}, {})
        self._sets: dict[int, list[_Candidate]] = {}
        self._no_digit = sum(1 << k for k, t in enumerate(self._tests) if not t[0])
        self._plain = sum(1 << k for k, t in enumerate(self._tests) if not t[1])

    def match(self, low: str, text: str, digit: bool) -> Hit | None:
        """(reason, score) of the first rule (in order) fully matching the line, or None."""
        key = (low[0], text[0], low[-1], text[-1], digit, low != text)
        cands = self._cands.get(key)
        if cands is None:
            if len(self._cands) >= _CACHE_LINES:
                self._cands.clear()
                for edge in self._edges:
                    edge.clear()
            cands = self._cands[key] = self._candidates(*key)
        for fullmatch, c, hit in cands:
            if fullmatch(text if c else low) is not None:
                return hit
        return None

    def _candidates(self, low0: str, text0: str, low1: str, text1: str, digit: bool,
                    has_caps: bool) -> list[_Candidate]:
        """The rules a line with these edge characters may match, in order: a plain rule sees
        the lowercased line, a cased one (only for a line with capitals) the line as it is."""
        first = self._edge(0, low0) & self._plain
        if has_caps:
            first |= self._edge(0, text0) & ~self._plain
        if not digit:
            first &= self._no_digit
        mask = first & ((self._edge(1, low1) & self._plain) | (self._edge(1, text1) & ~self._plain))
        cands = self._sets.get(mask)
        if cands is None:
            cands = self._sets[mask] = [rule for k, rule in enumerate(self._rules)
                                        if mask >> k & 1]
        return cands

    def _edge(self, last: int, ch: str) -> int:
        """The mask of the rules whose pattern may start (``last``: end) with ``ch``."""
        cache = self._edges[last]
        mask = cache.get(ch)
        if mask is None:
            mask = cache[ch] = sum(1 << k for k, t in enumerate(self._tests)
                                   if t[2 + last](ch))
        return mask


_CACHE_LINES = 1 << 16  # edge-character keys kept per tier (the cache is cleared when full)
_LINE_CACHE = 1 << 15  # distinct lines whose hits a RuleSet keeps (cleared when full)
_MISS = object()  # a line not in the cache
_Candidate = tuple[Callable[[str], Any], bool, Hit]  # fullmatch, cased, (reason, score)
# a rule, its compiled pattern's fullmatch, and the tests of its first and last characters
_Compiled = tuple[Rule, Callable[[str], Any], Callable[[str], bool], Callable[[str], bool]]


def _compile(rule: Rule) -> _Compiled:
    """Compile a rule once (for all the length tiers that use it)."""
    rx = re.compile(rule.pattern)
    if rx.groups:
        raise ValueError(f"rule {rule.reason} must not have capturing groups")
    parsed = sre_parse.parse(rule.pattern)
    return rule, rx.fullmatch, _edge_chars(parsed, False), _edge_chars(parsed, True)


_DIGIT = re.compile(r"\d")
_CATEGORIES = {c: re.compile(rx).fullmatch for c, rx in (
    (sc.CATEGORY_DIGIT, r"\d"), (sc.CATEGORY_NOT_DIGIT, r"\D"), (sc.CATEGORY_SPACE, r"\s"),
    (sc.CATEGORY_NOT_SPACE, r"\S"), (sc.CATEGORY_WORD, r"\w"), (sc.CATEGORY_NOT_WORD, r"\W"))}


def _edge_chars(parsed: Any, last: bool) -> Callable[[str], bool]:
    """A test of the characters a (non-empty) full match of a parsed pattern can start with (end
    with, when ``last``); it accepts every character when that edge is not a plain literal or
    character class."""
    icase = bool(parsed.state.flags & sc.SRE_FLAG_IGNORECASE)
    items = _edge_of(list(parsed), last, icase)[0]
    if items is None:
        return lambda c: True
    # plain literals as one set (a word-list rule starts with hundreds of them), then the rest
    literals = frozenset(av for op, av, ic in items if op is sc.LITERAL and not ic)
    tests: list[Callable[[str], bool]] = []
    for op, av, ic in items:
        if op is sc.LITERAL and not ic:
            continue
        if not ic:
            tests.append(lambda c, op=op, av=av: _item_has(op, av, c))
            continue
        source = _item_source(op, av)  # case-insensitive: the regex engine decides
        if source is None:
            return lambda c: True
        fullmatch = re.compile(source, re.IGNORECASE).fullmatch
        tests.append(lambda c, f=fullmatch: f(c) is not None)
    return lambda c: ord(c) in literals or any(t(c) for t in tests)


_Items = list[tuple[Any, Any, bool]]  # (op, argument, case-insensitive)
_REPEATS = (sc.MAX_REPEAT, sc.MIN_REPEAT, getattr(sc, "POSSESSIVE_REPEAT", sc.MAX_REPEAT))
# inline flags a group may set or clear without changing which characters its items accept
_PLAIN_FLAGS = (sc.SRE_FLAG_IGNORECASE | sc.SRE_FLAG_MULTILINE | sc.SRE_FLAG_DOTALL |
                sc.SRE_FLAG_VERBOSE | sc.SRE_FLAG_UNICODE)


def _edge_of(seq: list[tuple[Any, Any]], last: bool, icase: bool) -> tuple[_Items | None, bool]:
    """(the LITERAL / IN items one of which starts (ends) any non-empty match of ``seq``, each
    with whether it matches ignoring case, or None for any character; whether ``seq`` can
    match the empty string)."""
    out: _Items = []
    for op, av in (reversed(seq) if last else seq):
        if op in (sc.LITERAL, sc.IN):
            return out + [(op, av, icase)], False
        if op in (sc.AT, sc.ASSERT, sc.ASSERT_NOT):  # zero-width: look past it
            continue
        ic = icase
        if op is sc.SUBPATTERN and not (av[1] | av[2]) & ~_PLAIN_FLAGS:
            subs = [av[3]]
            ic = (icase or bool(av[1] & sc.SRE_FLAG_IGNORECASE)) and \
                not av[2] & sc.SRE_FLAG_IGNORECASE
        elif op is sc.BRANCH:
            subs = av[1]
        elif op in _REPEATS and av[1] > 0:
            subs = [av[2]]
        else:
            return None, False
        can_skip = op in _REPEATS and av[0] == 0
        for sub in subs:
            found, nullable = _edge_of(list(sub), last, ic)
            if found is None:
                return None, False
            out += found
            can_skip = can_skip or nullable
        if not can_skip:
            return out, False
    return out, True


_CLASS_SOURCE = {sc.CATEGORY_DIGIT: r"\d", sc.CATEGORY_NOT_DIGIT: r"\D", sc.CATEGORY_SPACE: r"\s",
                 sc.CATEGORY_NOT_SPACE: r"\S", sc.CATEGORY_WORD: r"\w", sc.CATEGORY_NOT_WORD: r"\W"}


def _item_source(op: Any, av: Any) -> str | None:
    """The regex source of a LITERAL or IN item (None when it holds anything else)."""
    if op is sc.LITERAL:
        return re.escape(chr(av))
    parts = []
    for o, v in av:
        if o is sc.NEGATE and not parts:
            parts.append("^")
        elif o is sc.LITERAL:
            parts.append(re.escape(chr(v)))
        elif o is sc.RANGE:
            parts.append(re.escape(chr(v[0])) + "-" + re.escape(chr(v[1])))
        elif o is sc.CATEGORY and v in _CLASS_SOURCE:
            parts.append(_CLASS_SOURCE[v])
        else:
            return None
    return "[" + "".join(parts) + "]"


def _item_has(op: Any, av: Any, c: str) -> bool:
    """Whether a LITERAL or IN item accepts the character ``c``."""
    if op is sc.LITERAL:
        return ord(c) == av
    negate = bool(av) and av[0][0] is sc.NEGATE
    hit = False
    for o, v in av[1:] if negate else av:
        if o is sc.LITERAL:
            hit = ord(c) == v
        elif o is sc.RANGE:
            hit = v[0] <= ord(c) <= v[1]
        elif o is sc.CATEGORY and v in _CATEGORIES:
            hit = _CATEGORIES[v](c) is not None
        else:  # anything else: assume it may match
            return True
        if hit:
            break
    return hit != negate


DEFAULT_RULES = RuleSet()
