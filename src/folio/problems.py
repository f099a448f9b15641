"""Problems reported by the checks, and the catalogue of rules that produce them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, printed as `path:line:col: CODE message` (lines and columns from 1)."""

    path: str
    line: int
    col: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.code} {self.message}"


RULES: dict[str, str] = {
    "FM001": "front matter is not valid YAML",
    "FM002": "document has no front matter block",
    "FM003": "front matter field does not match the schema of the document's type",
    "FM004": "two documents share a title",
    "FM005": "two documents share a slug (URL)",
    "SEC001": "a required section of the document's type is missing",
    "SEC002": "required sections are out of order",
    "SEC003": "a `#` title in the body (the title comes from front matter)",
    "SEC004": "a heading skips a level",
    "SEC005": "a section has no content",
    "STD001": "word count outside the range for the document's type",
    "STD002": "fewer distinct citations than the type requires",
    "STD003": "fewer numbered figures than the type requires",
    "STD004": "an article has no captioned table",
    "STD005": "an article has no 'Key takeaways' box",
    "STD006": "an explainer's 'Key concepts' section has no term/definition table",
    "STD007": "a series post has fewer than 3 executable Python listings",
    "STD008": "an article has no figure produced by a script in figures/src/",
    "LNK001": "internal link to a document or file that does not exist",
    "LNK002": "internal link to an anchor that does not exist in the target",
    "LNK003": "link to a file outside the site",
    "LNK004": "external link is not a well-formed http(s) URL",
    "LNK005": "external link did not answer with success (only with --online)",
    "CIT001": "citation of a key that no BibTeX file defines",
    "CIT002": "BibTeX file does not parse",
    "CIT003": "BibTeX entry lacks title, author, year or an identifier (doi, eprint, url)",
    "CIT004": "malformed DOI",
    "CIT005": "malformed arXiv id",
    "CIT006": "BibTeX entry that no document cites",
    "CIT007": "BibTeX key defined more than once",
    "FIG001": "image file does not exist",
    "FIG002": "image without alt text",
    "FIG003": "image without a numbered caption",
    "FIG004": "figure or table id never referenced from the text",
    "FIG005": "file in figures/ that no document uses",
    "FIG006": "cross-reference to an unknown figure or table id",
    "FIG007": "figure or table id defined twice on a page",
    "HTML001": "raw HTML tag that content may not use (script, iframe, object, embed, style)",
    "HTML002": "inline event handler attribute (onclick= ...)",
    "HTML003": "javascript: URL",
    "SPL001": "misspelled word (codespell, with the project word list)",
    "TODO001": "unreplaced template guidance note",
    "TODO002": "TODO or FIXME marker in a published document",
    "MATH001": "a formula that cannot be rendered to MathML",
    "GPU001": "a measured result on the page is missing or was produced by an older version of its script or listing",
    "GPU002": "a results file in figures/measured/ does not match the schema",
    "EXE001": "Python listing raised an exception",
    "EXE002": "listing output differs from the Output block that follows it",
    "EXE003": "listing does not parse",
    "EXE004": "listing exceeded its time limit",
}
