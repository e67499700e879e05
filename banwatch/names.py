"""How names are compared and turned into ids: the one place for name normalisation.

    name_key("the U.S. Navy")          -> "usnavy"       (matching: reference lookups, curation)
    name_words("Italy's Garante")      -> "italy garante" (word-level comparisons, slugs)
    slugify("Mie Prefectural Gov.")    -> "mie-prefectural-gov"
    display_name("  the  Senate ")     -> "Senate"
"""
import functools
import re
import unicodedata

_LEADING_THE = re.compile(r"^the\s+")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_POSSESSIVE = re.compile(r"['’`]s\b")
_NON_WORD = re.compile(r"[^\w]+")


def _plain(text):
    """Accents off, case folded."""
    text = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def name_key(text):
    """The key two names are compared by: "the U.S. Navy" and "US Navy" -> "usnavy".

    Accents, case, punctuation, spaces and a leading "the" are ignored, as in the evaluation's
    name matching ("Türkiye" == "Turkiye", "Character.AI" == "Character AI").
    """
    text = _LEADING_THE.sub("", _plain(text).strip().replace("&", " and "))
    return _NOT_ALNUM.sub("", text)


def name_words(text):
    """Casefolded, accent-free, punctuation-free words, possessives and a leading "the" dropped.

    "the U.S. Navy" -> "us navy"; "Italy's Garante" -> "italy garante"; "Département" -> "departement".
    """
    if not text:
        return ""
    text = _POSSESSIVE.sub("", _plain(text).replace("&", " and "))
    text = text.replace(".", "")  # U.S. -> us, not "u s"
    text = " ".join(_NON_WORD.sub(" ", text).replace("_", " ").split())
    return text[4:] if text.startswith("the ") else text


@functools.lru_cache(maxsize=65536)
def slugify(text, max_length=80):
    """A lowercase ASCII slug: "Mie Prefectural Government" -> "mie-prefectural-government"."""
    slug = name_words(text).replace(" ", "-")
    slug = re.sub(r"[^a-z0-9-]+", "", slug.encode("ascii", "ignore").decode())
    slug = re.sub(r"-{2,}", "-", slug).strip("-")
    return slug[:max_length].rstrip("-")


def display_name(name):
    """A name as shown for an unverified entity: whitespace tidied, leading "the" dropped."""
    text = " ".join(str(name or "").split())
    return text[4:] if text.lower().startswith("the ") else text
