"""`folio screenshots`: the four page types in light and dark, at desktop and mobile widths."""

from __future__ import annotations

import sys
from pathlib import Path

from folio.lighthouse import pages
from folio.pdf import CHROMIUM_ARGS, READY, RETURNING_READER, chromium_path, serve

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "mobile": {"width": 375, "height": 812}}


def main(root: Path, site_dir: Path, out: Path) -> int:
    if not (site_dir / "index.html").exists():
        print(f"folio screenshots: no built site in {site_dir}; run `make build` first", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with serve(site_dir) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for scheme in ("light", "dark"):
            for device, viewport in VIEWPORTS.items():
                context = browser.new_context(color_scheme=scheme, viewport=viewport, device_scale_factor=1)
                context.add_init_script(RETURNING_READER)
                page = context.new_page()
                for label, path in pages(root):
                    page.goto(base + path, wait_until="load")
                    page.wait_for_function(READY)
                    page.evaluate("document.fonts.ready.then(() => true)")
                    name = label.split(":")[0].replace(" ", "-")
                    target = out / f"{name}-{scheme}-{device}.png"
                    page.screenshot(path=str(target))
                    print(target.relative_to(root) if target.is_relative_to(root) else target)
                context.close()
        browser.close()
    return 0
