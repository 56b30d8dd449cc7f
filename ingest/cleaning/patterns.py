"""Phrases, precompiled patterns and ``line_reason``, which recognise page chrome line by line.

Each rule looks at one stripped line. Rules anchored at a line's start or end are safe on
long paragraphs; rules that may match anywhere only run on short lines (``max_words``), so a
real paragraph that merely mentions "subscribe" or "Facebook" stays in the article.
"""

import re

# Whole-line phrases (see phrase_key): section chrome that is never article text.
NAVIGATION_PHRASES = frozenset({
    "must read", "leave a comment", "leave a reply", "post a comment", "comments", "0 comments",
    "no comments", "show comments", "view comments", "home", "menu", "search", "skip to content",
    "skip to main content", "back to top", "print", "print this article", "next article",
    "previous article", "next post", "previous post", "load more", "show more", "sign in", "log in",
    "login", "register",
})
# Headers of lists of other stories: the headline-like lines after them go too.
RELATED_HEADERS = frozenset({
    "latest news", "latest", "latest stories", "you may also like", "you might also like",
    "next stories", "more stories", "more news", "related", "related stories", "related news",
    "related articles", "related posts", "related content", "recommended", "recommended for you",
    "recommended stories", "trending", "trending now", "trending stories", "most read", "most popular",
    "most viewed", "popular", "popular stories", "top stories", "editor's picks", "editors' picks",
    "don't miss", "in case you missed it", "what to read next", "more to read", "more on this story",
})
ADVERTISING_PHRASES = frozenset({
    "advertisement", "advertisements", "advert", "ad", "ads", "sponsored", "sponsored content",
    "paid content", "promoted", "promoted content", "story continues below advertisement",
    "article continues below advertisement", "continue reading below", "scroll to continue with content",
    "content continues below", "adchoices", "partner content",
})
READ_MORE_PHRASES = frozenset({
    "read full article", "source: read full article", "read full story", "read the full article",
    "read the full story", "read more", "continue reading", "click here to read more", "read on",
    "full story", "view full article", "read original article",
})
NEWSLETTER_PHRASES = frozenset({"newsletter", "subscribe", "subscribe now", "sign up", "subscribe here"})
SOCIAL_PHRASES = frozenset({
    "follow us", "follow us on", "connect with us", "share", "share this", "share this article",
    "share this story", "share on facebook", "share on twitter", "share on whatsapp", "share via email", "tweet",
})
# Words of a menu bar ("Menu   Search   Share"): a short line made only of them is navigation.
NAV_WORDS = frozenset({
    "menu", "search", "share", "home", "subscribe", "login", "log", "sign", "in", "out", "register", "print",
    "email", "e-mail", "close", "sections", "account", "newsletters", "facebook", "twitter", "x", "whatsapp",
    "linkedin", "|", "·", "•",
})
# Words that make a short capitalised phrase an outlet's name ("Kestrel Bay Gazette", "Northwind Wire").
OUTLET_NOUNS = frozenset({
    "times", "post", "gazette", "herald", "journal", "tribune", "chronicle", "courier", "observer", "daily",
    "news", "press", "wire", "digest", "bulletin", "ledger", "review", "star", "telegraph", "guardian", "express",
    "mail", "standard", "record", "examiner", "inquirer", "sentinel", "monitor", "dispatch", "magazine", "weekly",
    "online", "radio", "television", "tv", "network", "agency", "media", "independent", "mirror", "globe",
    "reuters", "ap", "afp", "bloomberg", "xinhua", "yonhap", "kyodo", "upi", "pti", "ians", "dpa",
})
# Words that make the part after a comma in a byline a job title ("Jane Doe, Science Correspondent").
ROLE_WORDS = frozenset({
    "correspondent", "reporter", "writer", "editor", "staff", "contributor", "columnist", "desk", "bureau",
    "journalist", "photographer", "analyst", "producer", "intern", "chief", "freelance", "special",
})
# Labels in capitals that open a paragraph without being a dateline's place ("BREAKING: ...").
NOT_DATELINE_PLACES = frozenset({
    "BREAKING", "BREAKING NEWS", "UPDATE", "UPDATED", "EXCLUSIVE", "WATCH", "LIVE", "ANALYSIS", "OPINION",
    "EDITORIAL", "NOTE", "EDITOR'S NOTE", "PHOTOS", "VIDEO", "FAQ", "CORRECTION", "CLARIFICATION", "WARNING",
    "READ", "ALSO READ", "READ MORE", "LISTEN", "REVIEW", "EXPLAINER", "FACT CHECK", "TRANSCRIPT", "PODCAST",
})
_MONTH_DAY = r"(?i:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2})"
_CAPS_PLACE = r"[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+)*"
_REGION = r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}"
# A dateline opening the first paragraph: "WASHINGTON (AP) — ", "LONDON, March 3 (Reuters) - ",
# "SEOUL, South Korea (AP) — "; the agency is one to three capitalised words.
INLINE_DATELINE = re.compile(
    rf"^(?P<place>{_CAPS_PLACE}(?:, (?!{_MONTH_DAY}){_REGION})?)(?:, {_MONTH_DAY})?\s*"
    r"\((?P<agency>[A-Z][\w.&'’/-]{1,15}(?: [A-Z][\w.&'’/-]{1,15}){0,2})\)\s*(?:[—–-]{1,2}|:)\s*"
)
# ... or without an agency, in capitals before a dash or colon: "WASHINGTON — ", "NEW DELHI: ".
INLINE_DATELINE_BARE = re.compile(
    rf"^(?P<place>[A-Z]{{2,}}(?:[ .'’-]+[A-Z]{{2,}})*(?:, {_REGION})?)\s*(?:[—–]|:)\s+(?=\S)"
)
# Where footer lines name the outlet, by removal reason; "name" is the outlet.
OUTLET_IN_LINE = {
    "outlet": re.compile(r"^(?:source\s*:\s*)?(?P<name>.+?)\.?$", re.I),
    "copyright": re.compile(
        r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*)?(?P<name>[^|©]+?)\s*[.,]?\s*"
        r"(?:\b\d{4}\b|all rights reserved|\||$|\.\s)",
        re.I,
    ),
    "social": re.compile(r"^(?P<name>.+?) is (?:now )?on \w+", re.I),
    "imprint": re.compile(r"^(?:published|printed(?: and published)?) by\s+(?P<name>.+?)[.,]?$", re.I),
    "contact": re.compile(r"^(?P<name>[^,|·•\d]+?)\s*[,|·•]"),
    "navigation": re.compile(r"^more (?:from|stories from|news from) (?P<name>.+)$", re.I),
    "promo": re.compile(r"^(?P<name>.+?) Flash top headlines\b"),
}
# Words a tag list does not have: it names things, it does not say anything about them.
NOT_IN_TAG_LISTS = frozenset({
    "the", "a", "an", "of", "for", "with", "our", "your", "to", "in", "on", "is", "are", "by", "from", "at",
})

PHRASE_REASONS: dict[str, str] = {
    **{phrase: "navigation" for phrase in NAVIGATION_PHRASES | RELATED_HEADERS},
    **{phrase: "advertising" for phrase in ADVERTISING_PHRASES},
    **{phrase: "read-more" for phrase in READ_MORE_PHRASES},
    **{phrase: "newsletter" for phrase in NEWSLETTER_PHRASES},
    **{phrase: "social" for phrase in SOCIAL_PHRASES},
}
# Lists of other stories also start with "More from <section>".
RELATED_HEADER_START = re.compile(r"^more (?:from|on|in|stories from|news from)\b", re.I)

# Longer lines are article text or captions, never chrome; skipping them keeps cleaning fast.
CAPTION_MAX_WORDS = 120
# A caption recognised only by glued alt text must be short, as captions are.
GLUED_CAPTION_MAX_WORDS = 60
# A credit alone on its line is a few words ("Photo: Jane Doe/Reuters").
CREDIT_ONLY_MAX_WORDS = 8
# Lines left beside [email protected] placeholders ("Email:", "Contact") are still contact junk.
EMAIL_LEFTOVER_WORDS = 3
# Outlet names are short ("Voice of America", "Kestrel Bay Gazette").
OUTLET_NAME_MAX_WORDS = 6
# Whole-line phrases ("Must Read", "Advertisement") are a few words long.
PHRASE_MAX_WORDS = 6
# First words of captions that CAPTION_START recognises; a cheap test before the regex.
CAPTION_OPENERS = ("in this", "file ", "photo", "image", "picture")

_KEY_STRIP = " \t:.!»›>→|•·-–—*#"


def phrase_key(line: str) -> str:
    """Lowercase, single-spaced form of a line without edge punctuation, for phrase lookups."""
    return " ".join(line.lower().replace("’", "'").split()).strip(_KEY_STRIP)


# Bracketed placeholder Cloudflare leaves where an address was hidden from scrapers.
EMAIL_PROTECTED = re.compile(r"\[\s*email\s*protected\s*\]", re.I)

_AGENCIES = (
    r"AP|AFP|Reuters|EPA|EPA-EFE|Getty Images|Getty|Xinhua|Yonhap|KCNA|Kyodo|Bloomberg|PTI|ANI|IANS"
    r"|AAP|dpa|Anadolu|Sputnik|TASS|UPI|Shutterstock|iStock|Alamy|NurPhoto|SOPA Images"
)
# A caption ends with a credit in brackets: "(Photo source: X)", "(AP Photo/Name)", "(AP/Agency/Service)",
# "[Photo: X]". Searched in the line's last CREDIT_TAIL_CHARS only.
CREDIT_IN_BRACKETS = re.compile(
    r"(?:\(\s*(?:photo|image|picture|pic|file photo|credit|courtesy)\b[^()]*\)"
    r"|\((?:" + _AGENCIES + r")\s*(?:/[^()]+|photo\b[^()]*)\)"
    r"|\[\s*(?:photo|image|picture|file photo|credit)\b[^\[\]]*\])\s*$",
    re.I,
)
# ... or with a labelled credit after the last sentence: "... cannot be verified. Photo: AP".
CREDIT_LABEL_AT_END = re.compile(
    r"(?:^|[.!?”\"’)]\s+)(?:photo(?:graph)?|image|picture|photo credit|credit)s?\s*:\s*[^.!?:]{1,60}$", re.I
)
# Credits are short: the regexes above only look at a line's end.
CREDIT_TAIL_CHARS = 160

# A caption starts like "In this June 18, 2021, file photo provided by ..." or "File photo: ...".
CAPTION_START = re.compile(
    r"^(?:in this (?:[\w,.'’ -]{0,40}?,? )?(?:(?:file|undated|handout|aerial|combination|video) )*"
    r"(?:photo(?:graph)?|image|picture|screen ?grab|frame grab)s?\b(?!-)(?=,|\s+(?:provided|released|taken|made"
    r"|distributed|shot|from|by|issued|shows?|of|courtesy|obtained|posted|supplied|handed)\b)"
    r"|file (?:photo|image|picture)\b|(?:photo|image|picture)s?\s*(?:source|credit)?\s*:)",
    re.I,
)
# Image alt text glued to its caption: "Kim Jong UnKim Jong Un also indicated ...".
GLUED_NAME = re.compile(r"^(?P<name>[A-Z][a-z'’-]+(?: [A-Z][a-z'’-]+){0,4})(?P=name)(?=[\s,.:;]|$)")
# A credit alone on its line: "Photo: Reuters", "Getty Images", "(Photo source: X)".
CREDIT_ONLY = re.compile(
    r"^\(?\s*(?:(?:photo|image|picture|photograph)s?\s*(?:source|credit|courtesy)?\s*:|file photo\b"
    r"|(?:" + _AGENCIES + r")\s*(?:photo|/))",
    re.I,
)

# Rules anchored at the line's start: (reason, pattern, longest line in words it may judge).
# Checked in order with ``match``, which fails at once on ordinary text. First match wins.
START_RULES: tuple[tuple[str, re.Pattern, int], ...] = tuple(
    (reason, re.compile(pattern, re.I), max_words)
    for reason, pattern, max_words in (
        ("copyright", r"(?:copyright\s*(?:©|\(c\)|\d{4})|©|\(c\)\s*(?:\d{4}|[A-Z][^.]{0,60}?\b(?:19|20)\d{2}\b))", 30),
        ("navigation", r"home\s*(?:[|>»›/]\s*[^|>»›/]{1,30}){1,8}$", 20),
        ("navigation", r"view (?:the )?(?:non-amp|amp|desktop|full|mobile) (?:version|site)\b", 6),
        ("footer", r"(?:terms (?:of|and) (?:use|service|conditions)|privacy policy|cookie (?:policy|settings)"
         r"|disclaimer|about us|contact us|advertise with us|corrections policy)\b", 12),
        ("imprint", r"(?:published by|printed (?:and published )?by|(?:chief |managing |executive )?editor"
         r"(?:-in-chief)?\s*:|publisher\s*:|editorial office\s*:)", 10),
        ("contact", r"(?:tel|telephone|phone|ph|fax|mobile|cell|e-?mail|contact|address|office)"
         r"\s*(?:no\.?|number)?\s*[:.]"
         # a phone number: 7+ digits and separators only, but not a date such as 07/01/2021
         r"|(?=[+(\d])(?=(?:\D*\d){7})(?!\d{1,4}[/.–-]\d{1,2}[/.–-]\d{1,4}$)\+?[\d\s()./–—-]+$"
         r"|[\w.+-]+@[\w-]+\.[\w.-]+$", 15),
        ("social", r"(?:please\s+)?(?:follow|like|join|find|connect with) us on\b"
         r"|click here to (?:join|follow)\b|join (?:our|us on) (?:telegram|whatsapp)\b|follow @\w", 30),
        ("social", r"share (?:this|on|via)\b", 12),
        ("newsletter", r"stay (?:informed|updated|connected)\s*!"
         r"|stay (?:informed|updated) (?:with|on) (?:our|the latest)\b|explore more (?:articles|stories)\b"
         r"|enter your e-?mail\b"
         r"|get (?:the latest|our) .{0,60}(?:newsletter|in your inbox)", 30),
        ("newsletter", r"(?:sign up|subscribe)\b", 25),
        ("promo", r"get live (?:stock )?(?:prices|quotes)\b", 80),
        ("promo", r"download (?:the|our) app\b|watch(?: the)? video\b|(?:watch|listen)\s*:", 25),
        ("tags", r"(?:tags?|topics?|filed under|keywords?|related topics|categories)\s*:", 30),
        ("read-more", r"(?:source\s*:\s*)?read (?:the )?full (?:article|story)\b"
         r"|(?:read more|continue reading|click here to read)\b", 25),
        ("related-stories", r"(?:also read|read also|see also|related|recommended|don['’]t miss)\s*:", 25),
        ("outlet", r"source\s*:\s*\S", 8),
    )
)
# Rules that may match anywhere in a short line, tried only when one of their keywords occurs
# in the lowercased line (a substring test is far cheaper than a regex search).
KEYWORD_RULES: tuple[tuple[str, tuple[str, ...], re.Pattern, int], ...] = tuple(
    (reason, keywords, re.compile(pattern, re.I), max_words)
    for reason, keywords, pattern, max_words in (
        ("copyright", ("©", "rights reserved", "(c)"), r"©|\(c\)\s*\d{4}|\ball rights reserved\b", 30),
        ("imprint", ("reg",), r"\breg(?:istration|d)?\.?\s*no\.?\s*:?\s*\d", 20),
        ("social", ("is now on",),
         r"\bis now on (?:telegram|whatsapp|google news|instagram|facebook|twitter|x|linkedin|youtube|threads)\b", 30),
        ("newsletter", ("newsletter",), r"(?:subscribe|sign up|signup|register)(?: now| today)? (?:to|for)"
         r" (?:our|the|a) (?:free )?(?:\w+ )?newsletters?\b", 30),
        ("newsletter", ("upgrade", "subscribe", "save", "inbox"),
         r"\b(?:upgrade|subscribe) (?:now|today)\b|\bsave \d+\s?%|\bin your inbox\b", 25),
        # a phone number or e-mail address on a short line: "Courier · 3 Mill Lane · Tel. (045) 555-0148"
        ("contact", ("tel", "phone", "fax", "(", "+", "@", "[email"),
         r"(?:\btel\.?|\bphone|\bfax)\s*:?\s*[(+\d]|\(\d{2,4}\)\s*\d{3}[-–\s]?\d{4}|\+\d[\d\s()–-]{7,}\d"
         r"|\[email\s*protected\]|[\w.+-]+@[\w-]+\.[a-z]{2,}", 20),
        ("promo", ("top headlines", "clicking"),
         r"\btop headlines (?:for|are here)\b|check out what['’]s clicking", 25),
    )
)

# All start rules in one alternation (group ``r<i>`` is rule i): one match call per line, in rule order.
START_RULES_COMBINED = re.compile(
    "|".join(f"(?P<r{i}>{pattern.pattern})" for i, (_, pattern, _) in enumerate(START_RULES)), re.I
)
# Every keyword of KEYWORD_RULES, and the longest line any rule of each kind judges.
KEYWORDS = tuple(keyword for _, keywords, _, _ in KEYWORD_RULES for keyword in keywords)
START_RULES_MAX_WORDS = max(max_words for _, _, max_words in START_RULES)
KEYWORD_RULES_MAX_WORDS = max(max_words for *_, max_words in KEYWORD_RULES)
# Words a labelled credit starts with ("Photo: AP"); tested before the regex.
CREDIT_LABELS = ("photo", "image", "picture", "credit")

# Where the story is over: a numbered headline ("1Israel, Hamas trade ...", "2. US says ...").
NUMBERED_HEADLINE = re.compile(r"^\d{1,2}[.)]?\s*[^\W\d_]")
# A line that ends like a sentence (closing quotes and brackets allowed after the mark).
SENTENCE_END = re.compile(r"[.!?…。！？؟।]['\"”’»)\]]*$")
# A teaser cut short by the site: "... to engage families with entertaining and..."
TRUNCATED = re.compile(r"(?:\.\.\.|…)['\"”’»)\]]*$")
# Words that may stay lowercase inside a name ("Ali bin Hamad", "Anna de la Cruz").
NAME_PARTICLES = frozenset({
    "and", "&", "de", "del", "della", "der", "den", "van", "von", "la", "le", "du", "da", "di", "dos",
    "bin", "binti", "al", "el", "y", "of", "the",
})


def line_reason(line: str, words: int) -> str | None:
    """Why ``line`` (stripped, ``words`` long) is chrome, or None when it may be article text."""
    lower = line.lower()
    if "[email" in lower and _is_email_protection(line):
        return "email-protection"
    if words > CAPTION_MAX_WORDS:
        return None
    caption = _caption_reason(line, lower, words)
    if caption is not None:
        return caption
    if words <= PHRASE_MAX_WORDS:
        key = phrase_key(line)
        phrase = PHRASE_REASONS.get(key)
        if phrase is not None or RELATED_HEADER_START.match(line):
            return phrase or "navigation"
        if words > 1 and all(word in NAV_WORDS for word in key.split()):
            return "navigation"
    if words <= START_RULES_MAX_WORDS and START_RULES_COMBINED.match(line):
        for reason, pattern, max_words in START_RULES:
            if words <= max_words and pattern.match(line):
                return reason
    if words <= KEYWORD_RULES_MAX_WORDS and any(keyword in lower for keyword in KEYWORDS):
        for reason, keywords, pattern, max_words in KEYWORD_RULES:
            if words <= max_words and any(keyword in lower for keyword in keywords) and pattern.search(line):
                return reason
    return None


def _is_email_protection(line: str) -> bool:
    return len(EMAIL_PROTECTED.sub(" ", line).split()) <= EMAIL_LEFTOVER_WORDS


def _caption_reason(line: str, lower: str, words: int) -> str | None:
    if words <= CREDIT_ONLY_MAX_WORDS and CREDIT_ONLY.match(line):
        return "photo-credit"
    tail_start = max(0, len(line) - CREDIT_TAIL_CHARS)
    if line[-1] in ")]" and CREDIT_IN_BRACKETS.search(line, tail_start):
        return "caption"
    tail = lower[tail_start:]
    labelled = ":" in tail and any(label in tail for label in CREDIT_LABELS)
    if labelled and CREDIT_LABEL_AT_END.search(line, tail_start):
        return "caption"
    if lower.startswith(CAPTION_OPENERS) and CAPTION_START.match(line):
        return "caption"
    if words <= GLUED_CAPTION_MAX_WORDS and line[0].isupper() and GLUED_NAME.match(line):
        return "caption"
    return None


def is_outlet_name(text: str) -> bool:
    """A short capitalised name with a word outlets are named with ("Kestrel Bay Gazette", "Northwind Wire")."""
    text = text.strip(" ,;:|–—-·•")
    return (
        0 < len(text.split()) <= OUTLET_NAME_MAX_WORDS
        and text[0].isupper()
        and has_word(text, OUTLET_NOUNS)
        and not SENTENCE_END.search(text)
    )


def has_word(text: str, words: frozenset[str]) -> bool:
    """Whether one of ``words`` (lowercase) is a word of ``text``."""
    return any(word.strip(".,'’()") in words for word in text.lower().split())
