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


FAMILIES: dict[str, str] = {
    "FM": "front matter", "SEC": "sections", "STD": "the writing standard's counts", "LNK": "links",
    "CIT": "citations", "FIG": "figures and tables", "HTML": "raw HTML", "SPL": "spelling",
    "TODO": "unreplaced notes", "MATH": "math", "GPU": "measured results", "EXE": "code listings",
}


@dataclass(frozen=True)
class Rule:
    """One rule: its code, family, severity, what it finds, how to fix it, and whether the build runs it."""

    code: str
    family: str
    severity: str  # "error" fails `folio check` and the build; "warning" is reported only
    summary: str
    fix: str
    in_build: bool  # the build reports it on every page it renders; `folio check` runs every rule


RULES: dict[str, Rule] = {rule.code: rule for rule in (
    Rule("FM001", "FM", "error", "front matter is not valid YAML", "fix the YAML between the --- lines (quote values that contain a colon)", True),
    Rule("FM002", "FM", "error", "document has no front matter block", "start the file with a --- block; `folio new` writes one", True),
    Rule("FM003", "FM", "error", "front matter field does not match the schema of the document's type", "set the field as the message says; CONTRIBUTING.md lists every field", True),
    Rule("FM004", "FM", "error", "two documents share a title", "choose a title no other document uses", False),
    Rule("FM005", "FM", "error", "two documents share a slug (URL)", "rename the file (its name is the URL)", False),
    Rule("SEC001", "SEC", "error", "a required section of the document's type is missing", "add the section as a ## heading where the message says", True),
    Rule("SEC002", "SEC", "error", "required sections are out of order", "reorder the required sections", True),
    Rule("SEC003", "SEC", "error", "a `#` title in the body (the title comes from front matter)", "use ## for sections; the title comes from front matter", True),
    Rule("SEC004", "SEC", "error", "a heading skips a level", "use the next heading level down", True),
    Rule("SEC005", "SEC", "error", "a section has no content", "write the section or remove its heading", True),
    Rule("SEC006", "SEC", "error", "text on the line right after a code block (rendered outside any paragraph)", "add a blank line after the closing fence", True),
    Rule("STD001", "STD", "error", "word count outside the range for the document's type", "write more, or cut, to reach the type's range", False),
    Rule("STD002", "STD", "error", "fewer distinct citations than the type requires", "cite more primary sources", False),
    Rule("STD003", "STD", "error", "fewer numbered figures than the type requires", "add a numbered figure", False),
    Rule("STD004", "STD", "error", "a document of a type that requires one has no captioned table", "add a table with a /// table-caption", False),
    Rule("STD005", "STD", "error", "a document of a type that requires one has no 'Key takeaways' box", "add a 'Key takeaways' box", False),
    Rule("STD006", "STD", "error", "the type's definitions section (an explainer's 'Key concepts') has no term/definition table", "make it a | Term | Definition | table", False),
    Rule("STD007", "STD", "error", "fewer executable Python listings than the type requires (a series part: 3)", "add executable Python listings", False),
    Rule("STD008", "STD", "error", "no figure produced by a script in figures/src/ in a type that requires one", "produce a figure with a script in figures/src/", False),
    Rule("LNK001", "LNK", "error", "internal link to a document or file that does not exist", "link to an existing file with a site-absolute path such as /articles/x.md", False),
    Rule("LNK002", "LNK", "error", "internal link to an anchor that does not exist in the target", "link to a heading that exists, or add the anchor", False),
    Rule("LNK003", "LNK", "error", "link to a file outside the site", "link only to files inside the site", False),
    Rule("LNK004", "LNK", "error", "external link is not a well-formed http(s) URL", "write a full http(s) URL", False),
    Rule("LNK005", "LNK", "warning", "external link did not answer with success (only with --online)", "replace the URL with the moved page or an archived copy", False),
    Rule("CIT001", "CIT", "error", "citation of a key that no BibTeX file defines", "add the entry to references/*.bib or fix the key", True),
    Rule("CIT002", "CIT", "error", "BibTeX file does not parse", "fix the BibTeX syntax at the line given", True),
    Rule("CIT003", "CIT", "error", "BibTeX entry lacks title, author, year or an identifier (doi, eprint, url)", "add title, author, year and a doi, eprint or url", True),
    Rule("CIT004", "CIT", "error", "malformed DOI", "write the DOI without https://doi.org/", True),
    Rule("CIT005", "CIT", "error", "malformed arXiv id", "write the arXiv id as 2309.06180", True),
    Rule("CIT006", "CIT", "error", "BibTeX entry that no document cites", "cite the entry or remove it", False),
    Rule("CIT007", "CIT", "error", "BibTeX key defined more than once", "keep one entry per key; reuse it from every page", True),
    Rule("CIT008", "CIT", "error", "a BibTeX field writes ~ for 'about' before a number; in BibTeX ~ is a tie, printed as a space", "write 'about 160', not '~160'", True),
    Rule("FIG001", "FIG", "error", "image file does not exist", "put the file in figures/ and link /figures/<name>", True),
    Rule("FIG002", "FIG", "error", "image without alt text", "describe what the figure shows in the alt text", True),
    Rule("FIG003", "FIG", "error", "image without a numbered caption", "add a /// figure-caption | #fig-<name> block after the image", True),
    Rule("FIG004", "FIG", "error", "figure or table id never referenced from the text", "refer to it in the text as [](#id)", True),
    Rule("FIG005", "FIG", "error", "file in figures/ that no document uses", "use the file from a document or delete it", False),
    Rule("FIG006", "FIG", "error", "cross-reference to an unknown figure or table id", "point the reference at an id on the page", True),
    Rule("FIG007", "FIG", "error", "figure or table id defined twice on a page", "give each caption its own id", True),
    Rule("FIG008", "FIG", "error", "alt text longer than 150 characters", "say what the figure shows in one sentence; the caption and text carry the detail", True),
    Rule("HTML001", "HTML", "error", "raw HTML tag that content may not use (script, iframe, object, embed, style)", "use Markdown or a figure instead", True),
    Rule("HTML002", "HTML", "error", "inline event handler attribute (onclick= ...)", "remove the event handler", True),
    Rule("HTML003", "HTML", "error", "javascript: URL", "link to a page instead", True),
    Rule("SPL001", "SPL", "error", "misspelled word (codespell, with the project word list)", "fix the spelling, or add a correct word to .codespell-words", False),
    Rule("TODO001", "TODO", "error", "unreplaced template guidance note", "replace the guidance note with your text", False),
    Rule("TODO002", "TODO", "error", "TODO or FIXME marker in a published document", "resolve the marker before publishing", False),
    Rule("MATH001", "MATH", "error", "a formula that cannot be rendered to MathML", "fix the TeX (latex2mathml's supported commands)", True),
    Rule("GPU001", "GPU", "error", "a measured result on the page is missing or was produced by an older version of its script or listing", "re-run `make gpu` on a CUDA machine and commit figures/measured/", True),
    Rule("GPU002", "GPU", "error", "a results file in figures/measured/ does not match the schema", "regenerate the file with `folio gpu`", False),
    Rule("EXE001", "EXE", "error", "Python listing raised an exception", "fix the listing (the message names its line)", False),
    Rule("EXE002", "EXE", "error", "listing output differs from the Output block that follows it", "update the Output block or the listing", False),
    Rule("EXE003", "EXE", "error", "listing does not parse", "fix the listing's syntax", False),
    Rule("EXE004", "EXE", "error", "listing exceeded its time limit", "make the listing faster or smaller", False),
    Rule("EXE005", "EXE", "error", "a code or output line longer than 88 columns (it scrolls sideways)", "wrap the line at 88 columns", True),
)}
