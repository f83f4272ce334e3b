#!/usr/bin/env python3
"""The Chinese texts of the built-in course use the terms of docs/glossary.md.

For every row whose rule is "translate", the English term (whole words, any
case, plural -s/-es) must not stand in Chinese prose; for every row, the words
of its "avoid" column must not stand there at all. Prose is:
  - README.zh_CN.md (and any other *.zh_CN.md) of lessons/course,
  - the zh_CN values in lesson.toml and pack.toml,
  - the comments of *.zh_CN.cpp and *.zh_CN.cu files.
Not prose: inline code, fenced code blocks, quoted text ("…", “…”, 「…」),
link targets, identifier-like tokens (loss.item(), checkpoint.pt, exp_avg), and
one gloss in full-width parentheses right after the Chinese term:
锁页内存（pinned memory）.
Usage: glossary_check.py [SOURCE_ROOT]. Prints file:line: term for each
finding and exits 1 when there is one."""
import os
import re
import sys

root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..'))
glossary_path = os.path.join(root, 'docs', 'glossary.md')
course = os.path.join(root, 'lessons', 'course')


def read_glossary(path):
    """Rows of the table as (english variants, chinese, rule, avoid words)."""
    rows = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip('|').split('|')]
            if len(cells) < 3 or cells[2] not in ('translate', 'keep'):
                continue
            english = [e.strip() for e in cells[0].split(',') if e.strip()]
            avoid = [a.strip() for a in (cells[3] if len(cells) > 3 else '').split(',') if a.strip()]
            rows.append((english, cells[1], cells[2], avoid))
    return rows


# A run of printable ASCII without spaces: prose when it is a plain word (letters,
# inner hyphens or apostrophes) once brackets and punctuation around it are
# taken off; anything else (dots, colons, underscores, digits, slashes) is code.
RUN = re.compile(r'[!-~]+')
WORD = re.compile(r"^[A-Za-z]+(?:[-'][A-Za-z]+)*$")
LEAD = '([{<"\'*'
TRAIL = ')]}>"\',.;:!?*'


# A stretch of Latin text between two Chinese characters that holds a code token
# is code as a whole: "用 lab::loss(step, loss) 报告" names a variable, not the concept.
CJK = re.compile(r'[\u2e80-\uffff]')
STRETCH = re.compile(r'[\x00-\u2e7f]+')


NUMBER = re.compile(r'^[0-9.,%×+\-]*$')  # also empty: punctuation alone, list markers


def mask_code_tokens(text):
    def token(m):
        core = m.group(0).lstrip(LEAD).rstrip(TRAIL)
        return m.group(0) if WORD.match(core) or NUMBER.match(core) else '\x00' * len(m.group(0))

    def stretch(m):
        return '\x00' * len(m.group(0)) if '\x00' in m.group(0) else m.group(0)
    return STRETCH.sub(stretch, RUN.sub(token, text))


INLINE_CODE = re.compile(r'`[^`]*`')
LINK_TARGET = re.compile(r'\]\([^)]*\)')
QUOTED = re.compile(r'"[^"\n]*"|“[^”]*”|「[^」]*」')


def blank(m):
    return '\x01' * len(m.group(0))


# Inline code and quotes may wrap onto the next line of their paragraph.
SPANNING = re.compile(r'`[^`]*`|"[^"]*"|“[^”]*”|「[^」]*」')


def blank_keeping_lines(m):
    return ''.join(c if c == '\n' else '\x01' for c in m.group(0))


def prose_of_markdown(text):
    """Yields (line number, prose) for a Markdown file."""
    lines = text.split('\n')
    fenced = False
    for number, line in enumerate(lines):
        if line.lstrip().startswith(('```', '~~~')):
            fenced = not fenced
            lines[number] = ''
        elif fenced:
            lines[number] = ''
    paragraphs = re.split(r'(\n[ \t]*\n)', '\n'.join(lines))
    text = ''.join(SPANNING.sub(blank_keeping_lines, p) for p in paragraphs)
    for number, line in enumerate(text.split('\n'), 1):
        yield number, line


def clean(line):
    line = INLINE_CODE.sub(blank, line)
    line = LINK_TARGET.sub(blank, line)
    line = QUOTED.sub(blank, line)
    return mask_code_tokens(line)


ZH_VALUE = re.compile(r'zh_CN\s*=\s*("""(.*?)"""|\'\'\'(.*?)\'\'\'|"((?:[^"\\\n]|\\.)*)"|\'([^\'\n]*)\')', re.S)


def prose_of_toml(text):
    """Yields (line number, text) for each line of every zh_CN value."""
    for m in ZH_VALUE.finditer(text):
        value = next(g for g in m.groups()[1:] if g is not None)
        if m.group(4) is not None or m.group(2) is not None:
            # Escapes stay one character wide and never start a new line.
            value = re.sub(r'\\(.)', lambda e: e.group(1) if e.group(1) in '"\\' else ' ', value)
        first = text.count('\n', 0, m.start(1)) + 1
        if m.group(1).startswith(('"""', "'''")) and value.startswith('\n'):
            value = value[1:]
            first += 1
        for offset, line in enumerate(value.split('\n')):
            yield first + offset, line


COMMENT = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', re.S)


COMMENT_MARK = re.compile(r'^\s*(?://+|/\*+|\*+(?!/))|\*+/\s*$')


def prose_of_source(text):
    """Yields (line number, comment text) for C++/CUDA sources; string literals are skipped."""
    for m in COMMENT.finditer(text):
        if not m.group(0).startswith('/'):
            continue
        first = text.count('\n', 0, m.start()) + 1
        for offset, line in enumerate(m.group(0).split('\n')):
            yield first + offset, COMMENT_MARK.sub(lambda k: ' ' * len(k.group(0)), line)


def compile_kept(rows):
    """One pattern for the English terms of the "keep" rows: "tensor core" is not "tensor"."""
    kept = [w for english, _, rule, _ in rows if rule == 'keep' for w in english if ' ' in w or '-' in w]
    if not kept:
        return None
    alternatives = '|'.join(r'\s+'.join(re.escape(p) for p in w.split()) for w in sorted(kept, key=len, reverse=True))
    return re.compile(r'(?<![A-Za-z0-9_])(?:' + alternatives + r')(?:e?s)?(?![A-Za-z0-9_])', re.I)


def compile_terms(rows):
    terms = []
    for english, chinese, rule, avoid in rows:
        if rule == 'translate':
            for term in english:
                words = [re.escape(w) for w in term.split()]
                pattern = r'\s+'.join(words) + r'(?:e?s)?'
                terms.append((term, chinese, re.compile(r'(?<![A-Za-z0-9_\x00\x01-])' + pattern + r'(?![A-Za-z0-9_\x00\x01-])', re.I)))
        for word in avoid:
            terms.append((word, None, re.compile(re.escape(word))))
    return terms


def is_gloss(line, start, end, chinese):
    """True for 中文（english） and 中文（english，…）: the match opens parentheses right after
    the Chinese term (which may be emphasised, *中文*)."""
    if chinese is None:
        return False
    before = line[:start].rstrip()
    if not before.endswith(('（', '(')):
        return False
    return before[:-1].rstrip().rstrip('*_').endswith(chinese)


def course_lessons():
    """The lesson folders pack.toml lists: a folder it does not list is not part of the course yet."""
    with open(os.path.join(course, 'pack.toml'), encoding='utf-8') as f:
        text = f.read()
    folders = []
    for m in re.finditer(r'^\s*lessons\s*=\s*\[([^\]]*)\]', text, re.M):
        folders += re.findall(r'"([^"]+)"', m.group(1))
    return folders


def files():
    yield os.path.join(course, 'pack.toml'), prose_of_toml, True
    for lesson in course_lessons():
        for folder, _, names in os.walk(os.path.join(course, lesson)):
            for name in sorted(names):
                path = os.path.join(folder, name)
                if name.endswith('.zh_CN.md'):
                    yield path, prose_of_markdown, True
                elif name == 'lesson.toml':
                    yield path, prose_of_toml, True
                elif name.endswith(('.zh_CN.cpp', '.zh_CN.cu')):
                    yield path, prose_of_source, False


def main():
    rows = read_glossary(glossary_path)
    terms = compile_terms(rows)
    kept = compile_kept(rows)
    if not terms:
        print('%s: no glossary rows found' % os.path.relpath(glossary_path, root))
        return 1
    problems = []
    checked = 0
    for path, reader, markdown_like in sorted(files()):
        with open(path, encoding='utf-8') as f:
            text = f.read()
        checked += 1
        for number, raw in reader(text):
            if not markdown_like and not CJK.search(raw):
                continue  # an English comment is untranslated, not a terminology slip
            line = clean(raw) if markdown_like else mask_code_tokens(QUOTED.sub(blank, INLINE_CODE.sub(blank, raw)))
            if kept:
                line = kept.sub(blank, line)
            for term, chinese, pattern in terms:
                for m in pattern.finditer(line):
                    if is_gloss(line, m.start(), m.end(), chinese):
                        continue
                    hint = ('use %s' % chinese) if chinese else 'not in Chinese texts'
                    problems.append('%s:%d: %s (%s)' % (os.path.relpath(path, root), number, m.group(0), hint))
    for p in problems:
        print(p)
    print('%d files checked against %s, %d findings' % (checked, os.path.relpath(glossary_path, root), len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
