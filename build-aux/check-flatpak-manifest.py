#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks the Flatpak manifest without flatpak-builder (which needs Flathub):
# valid JSON, the app id, runtime, SDK and command we ship, Counterpart
# built last with meson, and every finish-arg explained in flatpak/README.md.
# Standard library only: meson already needs python3.

import json
import sys


def fail(message):
    print(f"check-flatpak-manifest: {message}", file=sys.stderr)
    sys.exit(1)


def main():
    if len(sys.argv) != 4:
        fail("usage: check-flatpak-manifest.py MANIFEST README APP_ID")
    manifest_path, readme_path, app_id = sys.argv[1:]

    try:
        with open(manifest_path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"{manifest_path} is not valid JSON: {e}")

    expected = {
        "id": app_id,
        "runtime": "org.gnome.Platform",
        "runtime-version": "47",
        "sdk": "org.gnome.Sdk",
        "command": "counterpart",
    }
    for key, value in expected.items():
        if manifest.get(key) != value:
            fail(f'"{key}" is {manifest.get(key)!r}, expected {value!r}')

    modules = manifest.get("modules")
    if not isinstance(modules, list) or not modules:
        fail('"modules" must be a non-empty list')
    for module in modules:
        if not isinstance(module, dict) or not module.get("name") or not module.get("sources"):
            fail(f"every module needs a name and sources: {module!r}")
    last = modules[-1]
    if last.get("name") != "counterpart" or last.get("buildsystem") != "meson":
        fail("the last module must build counterpart with meson")

    with open(readme_path, encoding="utf-8") as f:
        readme = f.read()
    args = manifest.get("finish-args", [])
    if len(args) != len(set(args)):
        fail("a finish-arg is listed twice")
    for arg in args:
        if f"`{arg}`" not in readme:
            fail(f"finish-arg {arg} is not explained in {readme_path}")

    print(f"{manifest_path}: OK ({len(modules)} modules, {len(args)} finish-args explained)")


if __name__ == "__main__":
    main()
