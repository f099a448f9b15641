"""folio: the generator and content tools of LLM Systems Notes."""

from pathlib import Path

__version__ = "0.1.0"


def compile_bytecode() -> None:
    """folio's modules compiled to bytecode, as an installed package's are (pip compiles them
    when it installs). Where PYTHONDONTWRITEBYTECODE is set, as on the machines this project is
    measured on, every interpreter that imports folio would otherwise compile its sources again:
    folio bench's builds (while Material's modules come compiled) and the many interpreters the
    tests start."""
    import compileall

    compileall.compile_dir(Path(__file__).parent, quiet=1)
