#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The desktop files of HyperSTAR Workbench, checked: the Flatpak manifest,
the desktop file, the AppStream metainfo, the GSettings schema and the icons
must be valid and must agree with what meson builds (the application ID, the
executables' names, the version).  Prints TAP; a validator that is not
installed makes its test skip and say so (build-aux/setup installs them)."""

import argparse
import configparser
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

SCREENSHOT_BASE = 'https://github.com/hyperstar/workbench/raw/main/docs/screenshots/'

results = []


def check(name):
    """Registers a test; it fails by raising AssertionError (or anything)."""
    def wrap(fn):
        results.append((name, fn))
        return fn
    return wrap


class Skip(Exception):
    pass


def run_tool(tool, *args):
    if not tool:
        raise Skip('validator not installed')
    proc = subprocess.run([tool, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    assert proc.returncode == 0, '%s exited with %d:\n%s' % (os.path.basename(tool),
                                                               proc.returncode, proc.stdout)
    return proc.stdout


def main():
    p = argparse.ArgumentParser()
    for opt in ('app-id', 'version', 'gui', 'daemon', 'source-root', 'manifest', 'desktop',
                'metainfo', 'schema-dir', 'icons'):
        p.add_argument('--' + opt, required=True)
    for opt in ('desktop-file-validate', 'appstreamcli', 'glib-compile-schemas'):
        p.add_argument('--' + opt, default='')
    a = p.parse_args()
    manifest = {}

    @check('the Flatpak manifest is valid JSON')
    def _():
        with open(a.manifest, encoding='utf-8') as f:
            manifest.update(json.load(f))

    @check('the manifest\'s app-id is the application ID')
    def _():
        assert manifest.get('app-id') == a.app_id, (manifest.get('app-id'), a.app_id)

    @check('the manifest\'s command is the window\'s executable')
    def _():
        assert manifest.get('command') == a.gui, (manifest.get('command'), a.gui)

    @check('the manifest uses the GNOME runtime, version 45 or later')
    def _():
        assert manifest.get('runtime') == 'org.gnome.Platform', manifest.get('runtime')
        assert manifest.get('sdk') == 'org.gnome.Sdk', manifest.get('sdk')
        assert int(manifest.get('runtime-version', '0')) >= 45, manifest.get('runtime-version')

    @check('the sandbox has the GPU and a display, and no network')
    def _():
        args = manifest.get('finish-args', [])
        for needed in ('--device=dri', '--socket=wayland', '--socket=fallback-x11',
                       '--share=ipc'):
            assert needed in args, needed + ' missing'
        assert '--share=network' not in args, '--share=network: the daemon needs no network'
        assert not any(x.startswith('--filesystem=') and not x.endswith(':ro') for x in args), \
            'filesystem access must be read-only'

    @check('the last module builds this source tree with meson')
    def _():
        app = manifest['modules'][-1]
        assert app.get('buildsystem') == 'meson', app.get('buildsystem')
        dirs = [s for s in app.get('sources', []) if s.get('type') == 'dir']
        assert len(dirs) == 1, 'one "dir" source expected'
        path = os.path.join(os.path.dirname(os.path.abspath(a.manifest)), dirs[0]['path'])
        assert os.path.samefile(path, a.source_root), path + ' is not the source tree'

    @check('every downloaded source is pinned (git commit or sha256)')
    def _():
        def walk(modules):
            for m in modules:
                if isinstance(m, str):
                    continue
                for s in m.get('sources', []):
                    kind = s.get('type')
                    if kind == 'git':
                        commit = s.get('commit', '')
                        assert len(commit) == 40 and all(c in '0123456789abcdef' for c in commit), \
                            '%s: git source without a full commit' % m['name']
                    elif kind in ('archive', 'file'):
                        assert len(s.get('sha256', '')) == 64, \
                            '%s: %s source without sha256' % (m['name'], kind)
                walk(m.get('modules', []))
        walk(manifest['modules'])

    @check('desktop-file-validate accepts the desktop file')
    def _():
        out = run_tool(a.desktop_file_validate, a.desktop)
        # It exits 0 on hints and warnings too: those count here.
        assert out.strip() == '', out

    @check('the desktop file starts the window\'s executable with the app icon')
    def _():
        ini = configparser.ConfigParser(interpolation=None)
        ini.optionxform = str
        ini.read(a.desktop, encoding='utf-8')
        entry = ini['Desktop Entry']
        assert entry['Exec'].split()[0] == a.gui, entry['Exec']
        assert entry['Icon'] == a.app_id, entry['Icon']
        assert os.path.basename(a.desktop) == a.app_id + '.desktop', a.desktop

    @check('appstreamcli validate --no-net --strict accepts the metainfo')
    def _():
        run_tool(a.appstreamcli, 'validate', '--no-net', '--strict', '--no-color', a.metainfo)

    @check('the metainfo names the app, its launcher, binaries, screenshots and this version')
    def _():
        root = ET.parse(a.metainfo).getroot()
        assert root.get('type') == 'desktop-application'
        assert root.findtext('id') == a.app_id, root.findtext('id')
        assert root.findtext('launchable') == a.app_id + '.desktop', root.findtext('launchable')
        binaries = sorted(b.text for b in root.iterfind('provides/binary'))
        assert binaries == sorted([a.gui, a.daemon]), binaries
        shots = [i.text for i in root.iterfind('screenshots/screenshot/image')]
        assert shots and all(s.startswith(SCREENSHOT_BASE) and s.endswith('.png')
                             for s in shots), shots
        newest = root.find('releases/release')
        assert newest is not None and newest.get('version') == a.version, \
            'newest release %s, project version %s' % (
                newest.get('version') if newest is not None else None, a.version)
        assert root.find('content_rating') is not None, 'no content_rating'

    @check('glib-compile-schemas --strict accepts the schema')
    def _():
        run_tool(a.glib_compile_schemas, '--strict', '--dry-run', a.schema_dir)

    @check('the schema\'s id and path follow the application ID')
    def _():
        root = ET.parse(os.path.join(a.schema_dir, a.app_id + '.gschema.xml')).getroot()
        schemas = root.findall('schema')
        assert [s.get('id') for s in schemas] == [a.app_id], [s.get('id') for s in schemas]
        assert schemas[0].get('path') == '/' + a.app_id.replace('.', '/') + '/', \
            schemas[0].get('path')

    @check('the app icon and its symbolic version are SVG, the symbolic one fills only')
    def _():
        svg = '{http://www.w3.org/2000/svg}'
        full = os.path.join(a.icons, 'scalable', 'apps', a.app_id + '.svg')
        symbolic = os.path.join(a.icons, 'symbolic', 'apps', a.app_id + '-symbolic.svg')
        for path in (full, symbolic):
            root = ET.parse(path).getroot()
            assert root.tag == svg + 'svg', path
        # GTK recolors a symbolic icon's fills; strokes would keep their colour.
        for el in ET.parse(symbolic).getroot().iter():
            assert el.get('stroke') in (None, 'none'), 'stroke in ' + symbolic
            assert 'stroke' not in (el.get('style') or ''), 'stroke in ' + symbolic
        assert ET.parse(symbolic).getroot().get('width') == '16', 'symbolic icons are 16×16'

    print('1..%d' % len(results))
    failed = 0
    for n, (name, fn) in enumerate(results, 1):
        try:
            fn()
        except Skip as e:
            print('ok %d - %s # SKIP %s' % (n, name, e))
            continue
        except Exception as e:  # a failed check, whatever raised it
            failed += 1
            print('not ok %d - %s' % (n, name))
            for line in ('%s: %s' % (type(e).__name__, e)).splitlines():
                print('# ' + line)
            continue
        print('ok %d - %s' % (n, name))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
