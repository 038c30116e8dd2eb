#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The translations of HyperSTAR Workbench, checked against the sources.

  * po/POTFILES.in lists exactly the files under gui/ and data/ that have
    marked strings: C files calling _(), N_(), C_(), NC_() or ngettext(),
    .ui files with translatable="yes", and the desktop file, metainfo and
    GSettings schema (whose fields xgettext takes on its own);
  * po/LINGUAS and the .po files in po/ agree;
  * each catalogue passes `msgfmt --check` with no fuzzy and no
    untranslated message;
  * each catalogue has every message xgettext finds in the sources today
    (it is not stale);
  * no message is just "%" or ends in a lone "%": what xgettext reads of
    _("%" G_GINT64_FORMAT " …"), a format macro inside _(), which cannot be
    translated; such strings must be built with g_strdup_printf around a
    plain "%lld" or similar.

Prints TAP.  Without xgettext or msgfmt (the gettext package) the tests that
need them are skipped and say so."""

import argparse
import os
import re
import subprocess
import sys
import tempfile

# The arguments meson's i18n.gettext(preset: 'glib') gives xgettext (plus
# the -k_ it always adds), so that this sees what `ninja hyperstar-pot` sees.
XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments', '-k_',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format', '--flag=g_log:3:c-format',
    '--flag=g_print:1:c-format', '--flag=g_printerr:1:c-format',
    '--flag=g_printf:1:c-format', '--flag=g_fprintf:2:c-format',
    '--flag=g_sprintf:2:c-format', '--flag=g_snprintf:3:c-format',
]

# Where marked strings may live, and how a file shows that it has some.
SCAN_DIRS = ('gui', 'data')
C_MARK = re.compile(r'(?<![\w])(?:_|N_|C_|NC_|ngettext|g_dngettext|g_dpgettext2)\s*\(')
UI_MARK = re.compile(r'translatable\s*=\s*"(?:yes|true|1)"')
# xgettext extracts these without marks (their ITS rules or the desktop
# file parser say which fields are translatable).
IMPLICIT_SUFFIXES = ('.desktop.in', '.metainfo.xml.in', '.appdata.xml.in', '.gschema.xml')

results = []


class Skip(Exception):
    pass


def check(name):
    def wrap(fn):
        results.append((name, fn))
        return fn
    return wrap


# A PO reader: enough for the files msgmerge and xgettext write.

def unquote(s):
    s = s.strip()
    if not (s.startswith('"') and s.endswith('"')):
        raise ValueError('not a PO string: ' + s)
    out, i, s = [], 0, s[1:-1]
    escapes = {'n': '\n', 't': '\t', 'r': '\r', '"': '"', '\\': '\\', 'a': '\a', 'b': '\b',
               'f': '\f', 'v': '\v'}
    while i < len(s):
        if s[i] == '\\' and i + 1 < len(s):
            out.append(escapes.get(s[i + 1], s[i + 1]))
            i += 2
        else:
            out.append(s[i])
            i += 1
    return ''.join(out)


def read_po(path):
    """The messages of a PO file, obsolete ones left out: a list of dicts
    with msgctxt, msgid, msgid_plural (or None), msgstr (a list: one entry,
    or one per plural form) and flags."""
    messages = []
    cur = None
    field = None

    def flush():
        nonlocal cur, field
        if cur is not None and cur['msgid'] is not None and not cur['obsolete']:
            messages.append(cur)
        cur, field = None, None

    with open(path, encoding='utf-8') as f:
        for raw in f:
            line = raw.rstrip('\n')
            if not line.strip():
                flush()
                continue
            if cur is None:
                cur = {'msgctxt': None, 'msgid': None, 'msgid_plural': None, 'msgstr': {},
                       'flags': set(), 'obsolete': False}
            if line.startswith('#~'):
                cur['obsolete'] = True
                continue
            if line.startswith('#,'):
                cur['flags'].update(x.strip() for x in line[2:].split(','))
                continue
            if line.startswith('#'):
                continue
            m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")\s*$', line)
            if m:
                key, index, value = m.group(1), m.group(2), unquote(m.group(3))
                if key == 'msgstr':
                    field = ('msgstr', int(index or 0))
                    cur['msgstr'][field[1]] = value
                else:
                    if key != 'msgid_plural' and cur['msgstr']:
                        # The next message, without a blank line between.
                        flush()
                        cur = {'msgctxt': None, 'msgid': None, 'msgid_plural': None,
                               'msgstr': {}, 'flags': set(), 'obsolete': False}
                    field = (key, None)
                    cur[key] = value
                continue
            if line.lstrip().startswith('"') and field is not None:
                if field[0] == 'msgstr':
                    cur['msgstr'][field[1]] += unquote(line)
                else:
                    cur[field[0]] += unquote(line)
                continue
            raise ValueError('%s: cannot read line: %s' % (path, line))
    flush()
    for m in messages:
        m['msgstr'] = [m['msgstr'][k] for k in sorted(m['msgstr'])]
    return messages


def key(m):
    return (m['msgctxt'], m['msgid'], m['msgid_plural'])


def describe(k):
    ctx, msgid, plural = k
    text = repr(msgid)
    if ctx is not None:
        text = '[%s] %s' % (ctx, text)
    if plural is not None:
        text += ' / ' + repr(plural)
    return text


def dangling_percent(s):
    """True when s ends in an odd run of '%': a directive cut short."""
    run = len(s) - len(s.rstrip('%'))
    return run % 2 == 1


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--source-root', required=True)
    p.add_argument('--xgettext', default='')
    p.add_argument('--msgfmt', default='')
    a = p.parse_args()
    root = a.source_root
    po_dir = os.path.join(root, 'po')
    state = {}

    def listed():
        if 'listed' not in state:
            with open(os.path.join(po_dir, 'POTFILES.in'), encoding='utf-8') as f:
                state['listed'] = [l.strip() for l in f
                                   if l.strip() and not l.lstrip().startswith('#')]
        return state['listed']

    def xgettext(paths, output):
        if not a.xgettext:
            raise Skip('xgettext not installed (gettext)')
        proc = subprocess.run([a.xgettext, *XGETTEXT_ARGS, '-D', root, '-o', output,
                               '--force-po', *paths],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert proc.returncode == 0, 'xgettext failed:\n' + proc.stdout
        return read_po(output)

    def extracted(path):
        """The messages xgettext finds in one source file."""
        cache = state.setdefault('extracted', {})
        if path not in cache:
            with tempfile.TemporaryDirectory() as tmp:
                cache[path] = [m for m in xgettext([path], os.path.join(tmp, 'one.pot'))
                               if m['msgid'] != '']
        return cache[path]

    def template():
        """The template xgettext makes today of the files POTFILES.in lists
        and those it should list (so that each test here stands alone)."""
        if 'template' not in state:
            paths = sorted({f for f in listed() if os.path.isfile(os.path.join(root, f))}
                           | set(candidates()))
            with tempfile.TemporaryDirectory() as tmp:
                msgs = xgettext(paths, os.path.join(tmp, 'hyperstar.pot'))
            state['template'] = [m for m in msgs if m['msgid'] != '']
        return state['template']

    def candidates():
        """Files under gui/ and data/ that have marked strings, by their
        marks; the implicit kinds only when xgettext finds something."""
        found = []
        for top in SCAN_DIRS:
            for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
                dirnames[:] = sorted(d for d in dirnames if d != 'tests' and not d.startswith('.'))
                for name in sorted(filenames):
                    path = os.path.relpath(os.path.join(dirpath, name), root)
                    if name.endswith(('.c', '.h')):
                        with open(os.path.join(root, path), encoding='utf-8') as f:
                            if C_MARK.search(f.read()):
                                found.append(path)
                    elif name.endswith('.ui'):
                        with open(os.path.join(root, path), encoding='utf-8') as f:
                            if UI_MARK.search(f.read()):
                                found.append(path)
                    elif name.endswith(IMPLICIT_SUFFIXES):
                        if a.xgettext and extracted(path):
                            found.append(path)
                        elif not a.xgettext:
                            found.append(path)
        return found

    def linguas():
        with open(os.path.join(po_dir, 'LINGUAS'), encoding='utf-8') as f:
            langs = []
            for line in f:
                line = line.split('#', 1)[0]
                langs.extend(line.split())
        return langs

    @check('POTFILES.in lists every file under gui/ and data/ with marked strings')
    def _():
        missing = [f for f in candidates() if f not in listed()]
        assert not missing, 'not in po/POTFILES.in: ' + ', '.join(missing)

    @check('every file POTFILES.in lists exists')
    def _():
        absent = [f for f in listed() if not os.path.isfile(os.path.join(root, f))]
        assert not absent, 'listed but missing: ' + ', '.join(absent)

    @check('every file POTFILES.in lists has marked strings')
    def _():
        found = set(candidates())
        extra = [f for f in listed() if f not in found]
        assert not extra, 'listed without marked strings: ' + ', '.join(extra)

    @check('POTFILES.in lists no file twice')
    def _():
        files = listed()
        twice = sorted({f for f in files if files.count(f) > 1})
        assert not twice, 'listed twice: ' + ', '.join(twice)

    @check('LINGUAS names exactly the .po files in po/')
    def _():
        langs = linguas()
        assert langs, 'po/LINGUAS is empty'
        files = sorted(f[:-3] for f in os.listdir(po_dir) if f.endswith('.po'))
        assert sorted(langs) == files, 'LINGUAS: %s, .po files: %s' % (sorted(langs), files)

    @check('no message is "%" or ends in a lone "%" (a format macro inside _())')
    def _():
        bad = []
        for m in template():
            for text in (m['msgid'], m['msgid_plural']):
                if text is not None and dangling_percent(text):
                    bad.append(describe(key(m)))
        assert not bad, ('messages cut at a format macro (write "%lld" and cast to long long, '
                         'or format the number first): ' + '; '.join(bad))

    for lang in linguas():
        po = os.path.join(po_dir, lang + '.po')

        @check('%s.po passes msgfmt --check, with no fuzzy and no untranslated message' % lang)
        def _(po=po):
            if not a.msgfmt:
                raise Skip('msgfmt not installed (gettext)')
            proc = subprocess.run([a.msgfmt, '--check', '--statistics', '-o', os.devnull, po],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            assert proc.returncode == 0, 'msgfmt --check failed:\n' + proc.stdout
            assert 'fuzzy' not in proc.stdout and 'untranslated' not in proc.stdout, proc.stdout
            assert re.search(r'\b[1-9]\d* translated message', proc.stdout), proc.stdout
            # The same, read here: msgfmt counts an empty plural form as
            # translated.
            for m in read_po(po):
                if m['msgid'] == '':
                    continue
                assert 'fuzzy' not in m['flags'], 'fuzzy: ' + describe(key(m))
                assert all(m['msgstr']), 'untranslated: ' + describe(key(m))

        @check('%s.po has every message xgettext finds in the sources' % lang)
        def _(po=po):
            have = {key(m) for m in read_po(po) if m['msgid'] != '' and all(m['msgstr'])
                    and 'fuzzy' not in m['flags']}
            missing = [describe(key(m)) for m in template() if key(m) not in have]
            assert not missing, ('%d message(s) not translated in %s (run '
                                 '`ninja hyperstar-update-po` and translate them): %s'
                                 % (len(missing), os.path.basename(po), '; '.join(missing)))

    print('1..%d' % len(results))
    failed = 0
    for i, (name, fn) in enumerate(results, 1):
        try:
            fn()
            print('ok %d - %s' % (i, name))
        except Skip as e:
            print('ok %d - %s # SKIP %s' % (i, name, e))
        except Exception as e:  # noqa: BLE001 - any failure is reported
            failed += 1
            print('not ok %d - %s' % (i, name))
            for line in str(e).splitlines() or [type(e).__name__]:
                print('# ' + line)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
