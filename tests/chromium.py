"""How the browser tests (tests/conftest.py) and the printed-PDF benchmark (bench/segment_pdf.py) start
Debian's Chromium: headless, without a sandbox or a GPU, and with nothing reaching the network behind
the page's back."""

from __future__ import annotations

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
