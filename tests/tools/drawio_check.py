#!/usr/bin/env python3
"""drawio_check.py — checks what draw.io needs of an edgemap .drawio, and moves nodes in
one (for the --layout test).

  drawio_check.py check FILE            structure; prints one "ok - …" / "not ok - …" per check
  drawio_check.py positions FILE        "id x y w h" per node object (absolute centre)
  drawio_check.py move FILE OUT ID DX DY [ID DX DY]...   moves nodes as a user would

The XML was parsed by xmllint (libxml2) before this runs; here ElementTree walks it.
"""
import sys
import xml.etree.ElementTree as ET


def cells(root):
    """(id, cell element, wrapper object or None) for every cell under root."""
    out = []
    for el in root:
        if el.tag == 'mxCell':
            out.append((el.get('id'), el, None))
        elif el.tag in ('object', 'UserObject'):
            inner = el.find('mxCell')
            out.append((el.get('id'), inner, el))
    return out


def model_root(tree):
    mx = tree.getroot()
    assert mx.tag == 'mxfile', 'top element is %s, not mxfile' % mx.tag
    diagram = mx.find('diagram')
    assert diagram is not None, 'no <diagram>'
    model = diagram.find('mxGraphModel')
    assert model is not None, 'no <mxGraphModel> in <diagram> (compressed?)'
    root = model.find('root')
    assert root is not None, 'no <root>'
    return root


def geometry(cell):
    g = cell.find('mxGeometry')
    if g is None:
        return None
    return tuple(float(g.get(k, '0')) for k in ('x', 'y', 'width', 'height'))


def absolute(byid, cid):
    _, cell, _ = byid[cid]
    x, y, w, h = geometry(cell)
    p = cell.get('parent')
    while p in byid and byid[p][1].get('vertex') == '1':
        px, py, _, _ = geometry(byid[p][1])
        x += px
        y += py
        p = byid[p][1].get('parent')
    return x, y, w, h


def check(path):
    results = []

    def ok(cond, name, why=''):
        results.append(('ok - ' if cond else 'not ok - ') + name + ('' if cond else ': ' + why))

    tree = ET.parse(path)
    try:
        root = model_root(tree)
    except AssertionError as e:
        print('not ok - drawio structure: %s' % e)
        return 1
    ok(True, 'drawio: mxfile > diagram > mxGraphModel > root')
    cs = cells(root)
    ids = [c[0] for c in cs]
    ok(len(ids) >= 2 and ids[0] == '0' and ids[1] == '1' and cs[1][1].get('parent') == '0',
       'drawio: cells 0 and 1 (root and layer) first', str(ids[:2]))
    dup = sorted({i for i in ids if ids.count(i) > 1})
    ok(not dup and None not in ids, 'drawio: every cell has a unique id', 'duplicates %s' % dup[:5])
    byid = {c[0]: c for c in cs}
    bad = [i for i, c, _ in cs[1:] if c.get('parent') not in byid]
    ok(not bad, 'drawio: every parent exists', str(bad[:5]))
    edges = [(i, c) for i, c, _ in cs if c.get('edge') == '1']
    bad = [i for i, c in edges if c.get('source') not in byid or c.get('target') not in byid]
    ok(edges and not bad, 'drawio: %d edges, every source and target exists' % len(edges), str(bad[:5]))
    verts = [(i, c, o) for i, c, o in cs if c.get('vertex') == '1']
    bad = [i for i, c, _ in verts if geometry(c) is None or geometry(c)[2] <= 0 or geometry(c)[3] <= 0]
    ok(verts and not bad, 'drawio: geometry with a size on each of %d vertices' % len(verts), str(bad[:5]))
    containers = {i for i, c, _ in verts if 'container=1' in (c.get('style') or '')}
    children = [(i, c) for i, c, _ in verts if c.get('parent') in containers]
    bad = []
    for i, c in children:
        x, y, w, h = geometry(c)
        _, _, pw, ph = geometry(byid[c.get('parent')][1])
        if x < -0.5 or y < -0.5 or x + w > pw + 0.5 or y + h > ph + 0.5:
            bad.append(i)
    sites = [i for i, c, o in verts if o is not None and o.get('kind') == 'site']
    clouds = [i for i, c, o in verts if o is not None and o.get('kind') == 'cloud-group']
    ok(sites and clouds and len(children) > 10 and not bad,
       'drawio: containers (%d hospital box, %d cloud groups) enclose their %d children' % (len(sites), len(clouds), len(children)),
       'outside their container: %s' % bad[:5])
    nodes = [(i, c, o) for i, c, o in verts if o is not None and o.get('edgemap_id')]
    bad = [i for i, c, o in nodes if any(o.get(k) is None for k in ('kind', 'line_no', 'source_rows', 'tooltip'))]
    ok(nodes and not bad, 'drawio: %d node objects carry edgemap_id, kind, line_no, source_rows, tooltip' % len(nodes), str(bad[:5]))
    lines = [o for i, c, o in nodes if o.get('kind') == 'line']
    ok(lines and all(o.get('line_no') and o.get('source_rows') for o in lines),
       'drawio: every line object has its line No and source rows')
    html = [i for i, c, _ in cs[2:] if 'html=1' in (c.get('style') or '') or 'html=0' not in (c.get('style') or '')]
    tags = [i for i, c, o in cs if o is not None and '<' in (o.get('label') or '')]
    ok(not html and not tags, 'drawio: labels are plain text (html=0, no markup)', str((html + tags)[:5]))
    styles = ' '.join(c.get('style') or '' for _, c, _ in cs)
    ok('strokeColor=#c00000' in styles and 'dashed=1' in styles and 'strokeColor=#808080' in styles,
       'drawio: styles carry the marks (red border, grey dashed)')
    for r in results:
        print(r)
    return 0


def positions(path):
    root = model_root(ET.parse(path))
    cs = cells(root)
    byid = {c[0]: c for c in cs}
    for i, c, o in cs:
        if o is not None and o.get('edgemap_id') and c.get('vertex') == '1':
            x, y, w, h = absolute(byid, i)
            print('%s %.1f %.1f %.1f %.1f' % (i, x + w / 2, y + h / 2, w, h))


def move(path, out, moves):
    tree = ET.parse(path)
    root = model_root(tree)
    byid = {c[0]: c for c in cells(root)}
    for k in range(0, len(moves), 3):
        cid, dx, dy = moves[k], float(moves[k + 1]), float(moves[k + 2])
        g = byid[cid][1].find('mxGeometry')
        g.set('x', '%.1f' % (float(g.get('x', '0')) + dx))
        g.set('y', '%.1f' % (float(g.get('y', '0')) + dy))
    tree.write(out, encoding='utf-8', xml_declaration=False)


if __name__ == '__main__':
    cmd = sys.argv[1]
    if cmd == 'check':
        sys.exit(check(sys.argv[2]))
    elif cmd == 'positions':
        positions(sys.argv[2])
    elif cmd == 'move':
        move(sys.argv[2], sys.argv[3], sys.argv[4:])
