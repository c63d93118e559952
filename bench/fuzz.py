"""Fuzzing the whole API with schemathesis, as each role of the dialogue and anonymously, on the demo.

    .venv/bin/python bench/fuzz.py                            # 20 boundary + 3 random cases each
    .venv/bin/python bench/fuzz.py --roles secretariat --keep   # one role; keep the temporary directory

What it does, all on 127.0.0.1 and in a temporary directory (nothing touches var/):

1. loads the demo (``concord demo --no-serve``) into a fresh SQLite file, with the hashing encoder and tasks
   run at once, so documents are read and comparisons exist before the server starts;
2. creates one personal access token for each demo login it fuzzes as: the secretariat, the analyst of each
   party and the observer (the four roles), plus anonymous calls without a token;
3. starts gunicorn (as ``concord serve`` does: ``--limit-request-line 0``) with the database task backend
   and no worker, so writes that queue work answer at once;
4. for every operation of /api/openapi.json, sends schemathesis' boundary cases first (its coverage phase:
   the largest allowed number and one past it, missing fields, wrong types, undeclared content types; at
   most ``--coverage`` per operation), then random schema-valid (positive) and schema-breaking (negative)
   requests, and checks each answer: no server error, the status code is documented, the body matches the
   documented schema, negative data is refused.

It prints one table per role: cases, server errors, response-schema failures and other failures (with the
first few of each named), then the totals. Target: 0 server errors and 0 response-schema failures. Numbers,
not assertions. Business rules rightly refuse some schema-valid requests with a documented 4xx, so the
"positive data accepted" check is off, as in tests/api/test_schemathesis.py; multipart fields arrive as
strings, so negative multipart data is not expected to be refused by type.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROLES = {
    "secretariat": "secretariat",
    "analyst (MY)": "analyst.my",
    "analyst (PK)": "analyst.pk",
    "observer": "observer",
    "anonymous": None,
}

TOKENS = """
import json
from concord.accounts import actions
from concord.accounts.models import User
from concord.demo.load import DEMO_DOMAIN
keys = {}
for local in %r:
    user = User.objects.get(email=f"{local}@{DEMO_DOMAIN}")
    _token, keys[local] = actions.do_create_token(actor=user, name="fuzz")
print(json.dumps(keys))
"""


@dataclass
class Tally:
    cases: int = 0
    server_errors: int = 0
    schema_failures: int = 0
    other_failures: int = 0
    unsatisfiable: int = 0  # operation × mode pairs for which no request can be generated
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def note(self, kind: str, text: str) -> None:
        if len(self.examples[kind]) < 5 and text not in self.examples[kind]:
            self.examples[kind].append(text)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _environment(var: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "CONCORD_VAR_DIR": str(var),
            "DATABASE_URL": f"sqlite:///{var / 'fuzz.sqlite3'}",
            "MEDIA_ROOT": str(var / "media"),
            "SECRET_KEY": "fuzz-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "HTTPS": "0",
            "CONCORD_REQUIRE_2FA": "0",
            "CONCORD_ENCODER": "hashing",
            "CONCORD_STATIC_FROM_SOURCE": "1",
            "DJANGO_SETTINGS_MODULE": "concord.settings",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def _prepare(var: Path, env: dict[str, str]) -> dict[str, str]:
    loading = {**env, "CONCORD_TASKS_BACKEND": "immediate"}
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "concord.cli", "demo", "--no-serve"],
        cwd=ROOT,
        env=loading,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"demo loaded in {time.monotonic() - started:.0f} s", file=sys.stderr)
    logins = [local for local in ROLES.values() if local]
    script = "import django; django.setup()\n" + TOKENS % (logins,)
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=loading, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "concord.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "120",
            "--limit-request-line",
            "0",
        ],
        cwd=ROOT,
        env={**env, "CONCORD_TASKS_BACKEND": "database"},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/openapi.json", timeout=5)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"the server did not start; see {log}")


def _fuzz(base: str, headers: dict[str, str], examples: int, coverage: int, tally: Tally) -> None:
    import schemathesis
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis.core.failures import Failure, FailureGroup
    from schemathesis.generation import GenerationMode
    from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

    schema = schemathesis.openapi.from_url(f"{base}/api/openapi.json")
    config = settings(
        max_examples=max(examples, 1),
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )

    def classify(case, failure) -> None:
        name = type(failure).__name__
        where = f"{case.method} {case.path}"
        if name == "ServerError":
            tally.server_errors += 1
            tally.note("server error", f"{where}: {getattr(failure, 'status_code', '')}")
        elif name == "JsonSchemaError":
            tally.schema_failures += 1
            tally.note("response schema", f"{where}: {failure.title}")
        else:
            tally.other_failures += 1
            tally.note("other", f"{where}: {failure.title}")

    def check(case) -> None:
        excluded = [positive_data_acceptance]
        if (getattr(case, "media_type", None) or "").startswith("multipart/"):
            excluded.append(negative_data_rejection)
        try:
            response = case.call(headers=headers, timeout=60)
        except Exception as exc:  # a connection the server dropped counts as a server error
            tally.cases += 1
            tally.server_errors += 1
            tally.note("server error", f"{case.method} {case.path}: {type(exc).__name__}")
            return
        tally.cases += 1
        try:
            case.validate_response(response, headers=headers, excluded_checks=excluded)
        except FailureGroup as group:
            for failure in group.exceptions:
                classify(case, failure)
        except Failure as failure:
            classify(case, failure)

    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation is None:
            continue
        # Boundary values first (schemathesis' coverage phase: the largest allowed integer and one past it,
        # missing and extra fields...), at most ``coverage`` of them, then random examples.
        generation = schema.config.generation_for(operation=operation)
        for number, case in enumerate(
            schema.iter_coverage_cases(operation, generation_modes=modes, generation_config=generation)
        ):
            if number >= coverage:
                break
            check(case)
        for mode in modes if examples > 0 else []:
            try:
                strategy = operation.as_strategy(generation_mode=mode)
            except Exception as exc:  # an operation schemathesis cannot generate for in this mode
                tally.note("other", f"{operation.method.upper()} {operation.path}: not generated ({exc})")
                continue

            @config
            @given(case=strategy)
            def run(case) -> None:
                check(case)

            try:
                run()
            except Unsatisfiable:  # e.g. no negative request exists for an operation without parameters
                tally.unsatisfiable += 1


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--examples", type=int, default=3, help="random examples per operation and mode (3)")
    parser.add_argument("--coverage", type=int, default=20, help="boundary cases per operation (20)")
    parser.add_argument("--roles", default=",".join(ROLES), help="comma-separated subset of the roles")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (server log)")
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="concord-fuzz-"))
    env = _environment(var)
    server = None
    try:
        keys = _prepare(var, env)
        port = _free_port()
        server = _serve(env, port, var / "server.log")
        base = f"http://127.0.0.1:{port}"
        totals = Tally()
        rows = []
        for role in [r.strip() for r in args.roles.split(",") if r.strip()]:
            local = ROLES[role]
            headers = {"Authorization": f"Bearer {keys[local]}"} if local else {}
            tally = Tally()
            started = time.monotonic()
            _fuzz(base, headers, args.examples, args.coverage, tally)
            elapsed = time.monotonic() - started
            rows.append((role, tally, elapsed))
            print(f"\n## {role}  ({elapsed:.0f} s)")
            print(f"{'cases':>8} {'server errors':>14} {'response-schema':>16} {'other failures':>15}")
            print(
                f"{tally.cases:>8} {tally.server_errors:>14} {tally.schema_failures:>16} "
                f"{tally.other_failures:>15}"
            )
            for kind, found in tally.examples.items():
                for text in found:
                    print(f"  {kind}: {text}")
            sys.stdout.flush()
            for name in ("cases", "server_errors", "schema_failures", "other_failures"):
                setattr(totals, name, getattr(totals, name) + getattr(tally, name))
        print("\n## all roles")
        print(
            f"{'role':<14} {'cases':>8} {'server errors':>14} {'response-schema':>16} {'other failures':>15}"
        )
        for role, tally, _elapsed in rows:
            print(
                f"{role:<14} {tally.cases:>8} {tally.server_errors:>14} {tally.schema_failures:>16} "
                f"{tally.other_failures:>15}"
            )
        print(
            f"{'total':<14} {totals.cases:>8} {totals.server_errors:>14} {totals.schema_failures:>16} "
            f"{totals.other_failures:>15}"
        )
        return 0
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        if args.keep:
            print(f"kept {var}", file=sys.stderr)
        else:
            shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
