#!/usr/bin/env python3
"""Checks layout files against docs/layout.schema.json with an independent validator.

    scripts/check-layout-schema.py [--schema FILE] LAYOUT.yaml...

Prints every problem as `FILE: PATH: MESSAGE` (PATH as `blocks/3/chart/kind`) and exits 1 when a
layout does not validate (or is not YAML), 2 when a file cannot be read or the modules are missing;
0 when all of them validate. Needs Debian's python3-yaml and python3-jsonschema
(scripts/install-system-deps.sh installs them).

YAML is read with the YAML 1.2 core schema, as YAML editors read it: `2026-01-15` stays text
(YAML 1.1 would make it a date, and `2026-2-3` one too), `yes` and `no` are text, and `1e3` is a
number. Briefing's own reader (Yams) is more lenient in two ways, so the schema is stricter there:
it reads any scalar where it expects text (`title: 2025` builds; the schema asks for
`title: "2025"`), and it reads `yes`, `no`, `on` and `off` as booleans (the schema asks for `true`
or `false`).
"""

import argparse
import json
import math
import os
import re
import sys

try:
    import jsonschema
    import yaml
except ImportError as missing:
    print(f"check-layout-schema: {missing}: install python3-jsonschema and python3-yaml (scripts/install-system-deps.sh)", file=sys.stderr)
    sys.exit(2)

# The YAML 1.2 core schema's scalars, replacing PyYAML's YAML 1.1 ones (timestamps, yes/no, 0777).
CORE_TAGS = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"}


class CoreLoader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2 core booleans and numbers, and no timestamps."""


CoreLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in CORE_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789"))
CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+.0123456789"))


def construct_int(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


def construct_float(loader, node):
    text = loader.construct_scalar(node).lower()
    if text.endswith(".inf"):
        return -math.inf if text.startswith("-") else math.inf
    if text == ".nan":
        return math.nan
    return float(text)


def construct_mapping(loader, node):
    # Briefing (Yams) refuses a key written twice; PyYAML would keep the last one without a word.
    # As written: a key merged in (`<<: *defaults`) may be written again to override it.
    seen = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(key_node, yaml.ScalarNode):
            continue
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, (str, int, float, bool)) or key is None:
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping", node.start_mark, f"found the key {key!r} twice", key_node.start_mark)
            seen.add(key)
    return loader.construct_mapping(node, deep=True)


CoreLoader.add_constructor("tag:yaml.org,2002:map", construct_mapping)
CoreLoader.add_constructor("tag:yaml.org,2002:int", construct_int)
CoreLoader.add_constructor("tag:yaml.org,2002:float", construct_float)


# Briefing's limit on a layout's settings with its aliases expanded (LayoutChecks.maximumNodes):
# PyYAML shares an alias's value, so a "billion laughs" is small until it is walked.
MAXIMUM_NODES = 200_000


class TooLarge(Exception):
    pass


def as_json(value, count=None):
    """The layout as JSON values: keys as text (Briefing reads a key `2025` as the text 2025)."""
    count = count if count is not None else [0]
    count[0] += 1
    if count[0] > MAXIMUM_NODES:
        raise TooLarge()
    if isinstance(value, dict):
        return {key_text(key): as_json(item, count) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item, count) for item in value]
    return value


def key_text(key):
    if isinstance(key, bool):
        return "true" if key else "false"
    return "null" if key is None else str(key)


def place(error):
    """`blocks/3/chart/kind`, or `(the layout)` for the top level."""
    return "/".join(str(part) for part in error.absolute_path) or "(the layout)"


def explain(error, placeholder):
    """What is wrong, as messages with their paths below `error`'s place: for a value that fits none of
    several forms, the complaints of the forms it comes closest to (a chart block with a wrong
    `kind` is about the kind, not about not being a heading)."""
    if error.validator not in ("anyOf", "oneOf") or not error.context:
        return [("", error.message)]
    alternatives = {}
    for sub in error.context:
        alternatives.setdefault(sub.schema_path[0], []).append(sub)
    # A form the value has the shape of fails only on a value inside, not on its type or keys.
    shape = {"type", "required", "additionalProperties", "const"}
    fitting = [subs for subs in alternatives.values()
               if not any(not sub.relative_path and sub.validator in shape for sub in subs)]
    # A placeholder would fit any text: saying the value is not one is no help.
    wanted = [subs for subs in fitting if not any(sub.schema == placeholder for sub in subs)] or fitting
    if not wanted:
        # Blocks: each form is one required key.
        keys = [(form.get("required") or [None])[0] if isinstance(form, dict) else None for form in error.validator_value]
        if error.validator == "oneOf" and isinstance(error.instance, dict) and all(keys):
            found = ", ".join(map(str, error.instance)) or "none"
            return [("", f"expected exactly one of the keys {', '.join(keys)}; found {found}")]
        return [("", error.message)]
    found = []
    for subs in wanted:
        for sub in subs:
            below = "/".join(str(part) for part in sub.relative_path)
            for path, message in explain(sub, placeholder):
                found.append(("/".join(part for part in (below, path) if part), message))
    return list(dict.fromkeys(found))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description="Checks layout files against the layout JSON Schema.")
    parser.add_argument("--schema", default=os.path.join(here, "..", "docs", "layout.schema.json"))
    parser.add_argument("layouts", nargs="+")
    arguments = parser.parse_args()

    with open(arguments.schema, encoding="utf-8") as file:
        schema = json.load(file)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    placeholder = schema.get("$defs", {}).get("placeholder")

    status = 0
    for path in arguments.layouts:
        try:
            with open(path, "rb") as file:
                text = file.read().decode("utf-8")
        except OSError as problem:
            print(f"{path}: cannot read: {problem}")
            status = 2
            continue
        except UnicodeDecodeError as problem:
            print(f"{path}: expected UTF-8 text: {problem}")
            status = max(status, 1)
            continue
        try:
            layout = as_json(yaml.load(text, Loader=CoreLoader))
            # JSON has no NaN or infinity; Briefing refuses them too.
            json.dumps(layout, allow_nan=False)
        except yaml.YAMLError as problem:
            print(f"{path}: invalid YAML: {problem}")
            status = max(status, 1)
            continue
        except TooLarge:
            print(f"{path}: expected a layout of at most {MAXIMUM_NODES} settings with its aliases expanded")
            status = max(status, 1)
            continue
        except ValueError:
            print(f"{path}: expected finite numbers, found .nan or .inf")
            status = max(status, 1)
            continue
        errors = sorted(validator.iter_errors(layout), key=lambda e: [str(p) for p in e.absolute_path])
        for error in errors:
            for inner, message in explain(error, placeholder):
                where = "/".join(part for part in (place(error), inner) if part and part != "(the layout)")
                print(f"{path}: {where or '(the layout)'}: {message}")
        if errors:
            status = max(status, 1)
        else:
            print(f"{path}: valid")
    return status


if __name__ == "__main__":
    sys.exit(main())
