#!/usr/bin/env python3
"""Validates every YAML file under the given directories against the JSON Schema
its `# yaml-language-server: $schema=...` modeline names, as an editor would.

Fails when a file has no modeline, the modeline points nowhere, or the file does
not validate. Dates stay strings, as in YAML 1.2 (what zielwerk reads)."""
import json
import pathlib
import re
import sys

import jsonschema
import yaml


class Yaml12Loader(yaml.SafeLoader):
    """PyYAML follows YAML 1.1 and turns 2025-03-06 into a date; zielwerk reads text."""


Yaml12Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$", re.MULTILINE)


def main(directories):
    problems = []
    checked = 0
    for directory in directories:
        for path in sorted(pathlib.Path(directory).rglob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            match = MODELINE.search(text)
            if not match:
                problems.append(f"{path}: no yaml-language-server $schema modeline")
                continue
            schema_path = (path.parent / match.group(1)).resolve()
            if not schema_path.is_file():
                problems.append(f"{path}: the modeline names {match.group(1)}, which does not exist")
                continue
            schema = json.loads(schema_path.read_text(encoding="utf-8"))
            jsonschema.Draft202012Validator.check_schema(schema)
            validator = jsonschema.Draft202012Validator(schema)
            for error in validator.iter_errors(yaml.load(text, Loader=Yaml12Loader)):
                where = "/".join(str(p) for p in error.absolute_path)
                problems.append(f"{path}: {where}: {error.message}")
            checked += 1
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{checked} files checked, {len(problems)} problems")
    return 1 if problems or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
