#!/usr/bin/env python3
"""clang-tidy on zielwerk's own sources, with the checks of .clang-tidy.

    scripts/tidy.py [--build DIR] [--jobs N] [FILE...]

Checks every .cpp file of the modules (or the FILEs given) with the compile
command of the build directory (default build/, the dev preset; it must have
been built, so that its dependency lists exist). Exits 1 naming every finding,
0 when there is none.

clang-tidy parses a file as a compiler does, several seconds each: a file is
checked again only when something it is made of changed. The key of a file is
a SHA-256 over clang-tidy's version, .clang-tidy, the file's compile command,
the file and every header it includes (ninja's dependency list of its object);
a clean result is remembered under that key in the cache directory
(ZIELWERK_TIDY_CACHE, default ~/.cache/zielwerk/tidy), which survives a fresh
clone on the same machine, like the compiler cache.
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import pathlib
import shlex
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
MODULES = ["common", "rules", "observations", "workflows", "domain", "storage", "locale",
           "engine", "report", "web", "server", "cli"]


def cache_dir() -> pathlib.Path:
    configured = os.environ.get("ZIELWERK_TIDY_CACHE")
    if configured:
        return pathlib.Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(pathlib.Path.home() / ".cache")
    return pathlib.Path(base) / "zielwerk" / "tidy"


def dependencies(build: pathlib.Path, output: str) -> list[str]:
    """The files ninja recorded for `output` (the object), after a build."""
    result = subprocess.run(["ninja", "-C", str(build), "-t", "deps", output],
                            capture_output=True, text=True, check=False)
    lines = result.stdout.splitlines()
    if not lines or "deps not found" in lines[0] or "(VALID)" not in lines[0]:
        return []
    return [line.strip() for line in lines[1:] if line.strip()]


def object_of(entry: dict) -> str | None:
    """The object file a compile command writes (its -o)."""
    words = entry.get("arguments") or shlex.split(entry.get("command", ""))
    for flag, value in zip(words, words[1:]):
        if flag == "-o":
            return value
    return None


def key_of(entry: dict, build: pathlib.Path, salt: bytes) -> str | None:
    digest = hashlib.sha256(salt)
    digest.update(json.dumps(entry.get("command") or entry.get("arguments"), sort_keys=True)
                  .encode())
    output = object_of(entry)
    deps = dependencies(build, output) if output else []
    if not deps:
        return None  # not built yet: no way to know what it includes
    for dep in deps:
        path = pathlib.Path(dep)
        if not path.is_absolute():
            path = build / path
        try:
            digest.update(dep.encode() + b"\0" + path.read_bytes())
        except OSError:
            return None
    return digest.hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default=str(ROOT / "build"), help="build directory (dev preset)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()

    tidy = shutil.which("clang-tidy")
    if tidy is None:
        print("tidy: clang-tidy is not installed (scripts/setup-tests.sh installs it)",
              file=sys.stderr)
        return 2
    build = pathlib.Path(args.build).resolve()
    commands_file = build / "compile_commands.json"
    if not commands_file.exists():
        print(f"tidy: {commands_file} is missing: configure and build the dev preset first",
              file=sys.stderr)
        return 2
    entries = {}
    for entry in json.loads(commands_file.read_text()):
        entries[pathlib.Path(entry["file"]).resolve()] = entry

    if args.files:
        files = [pathlib.Path(f).resolve() for f in args.files]
    else:
        files = sorted(p.resolve() for m in MODULES for p in (ROOT / m / "src").glob("*.cpp"))
    missing = [f for f in files if f not in entries]
    if missing:
        print("tidy: not in the build's compile commands: " +
              ", ".join(str(f.relative_to(ROOT)) for f in missing), file=sys.stderr)
        return 2

    version = subprocess.run([tidy, "--version"], capture_output=True, text=True).stdout
    salt = (version + (ROOT / ".clang-tidy").read_text()).encode()
    cache = cache_dir()
    cache.mkdir(parents=True, exist_ok=True)

    def check(path: pathlib.Path) -> tuple[pathlib.Path, bool, str]:
        key = key_of(entries[path], build, salt)
        stamp = cache / key if key else None
        if stamp is not None and stamp.exists():
            return path, True, "cached"
        result = subprocess.run([tidy, "-p", str(build), "--quiet", str(path)],
                                capture_output=True, text=True, check=False)
        clean = result.returncode == 0
        if clean and stamp is not None:
            stamp.write_text(str(path.relative_to(ROOT)) + "\n")
        findings = "\n".join(line for line in (result.stdout + result.stderr).splitlines()
                             if "warnings generated" not in line)
        return path, clean, findings

    failed = 0
    cached = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for path, clean, findings in pool.map(check, files):
            if findings == "cached":
                cached += 1
            elif not clean:
                failed += 1
                print(findings)
    print(f"tidy: {len(files)} files, {cached} unchanged since checked, "
          f"{failed} with findings", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
