"""Text helpers: Vietnamese diacritic folding and safe Markdown."""

import unicodedata

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}


def fold(text: str) -> str:
    """Lower case without diacritics, so that "Nông nghiệp" matches "nong nghiep".

    NFD decomposition drops most marks; "đ" is a letter of its own and needs mapping.
    """
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def render_markdown(source: str) -> str:
    """Markdown written by agencies, rendered and sanitised: no scripts, no raw HTML tricks."""
    html = markdown.markdown(source, extensions=["tables", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
