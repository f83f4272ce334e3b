#!/usr/bin/env python3
"""Every project include names its component, so that no two folders can
collide: "core/…" (app/core), "widgets/…", "studio/…", "cli/…" (app/…),
"helpers/…" (tests/helpers); a bare name only for a file next to the includer
(a test's own helper); generated files (*.moc, moc_*, ui_*) pass.
Prints each offending include as file:line and exits 1 when there is one."""
import os
import re
import sys

root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..'))
roots = {
    'core/': os.path.join(root, 'app'),
    'studio/': os.path.join(root, 'app'),
    'cli/': os.path.join(root, 'app'),
    'widgets/': root,
    'helpers/': os.path.join(root, 'tests'),
}
include = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
problems = []
checked = 0
for top in ('app', 'widgets', 'tests', 'lessons/include'):
    for folder, _, files in os.walk(os.path.join(root, top)):
        if '/fixtures' in folder or 'cuda-headers' in folder:
            continue
        for name in files:
            if not name.endswith(('.h', '.cpp', '.hpp', '.cc', '.cu')):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding='utf-8') as f:
                for number, line in enumerate(f, 1):
                    m = include.match(line)
                    if not m:
                        continue
                    checked += 1
                    target = m.group(1)
                    where = '%s:%d: "%s"' % (os.path.relpath(path, root), number, target)
                    if target.endswith('.moc') or target.startswith(('moc_', 'ui_')) or target == 'core/labconfig.h':
                        continue
                    prefix = next((p for p in roots if target.startswith(p)), None)
                    if prefix:
                        if not os.path.isfile(os.path.join(roots[prefix], target)):
                            problems.append(where + ' names no file')
                        continue
                    if '/' in target or not os.path.isfile(os.path.join(folder, target)):
                        problems.append(where + ' must start with core/, widgets/, studio/, cli/ or helpers/')
for p in problems:
    print(p)
print('%d includes checked, %d problems' % (checked, len(problems)))
sys.exit(1 if problems else 0)
