#!/usr/bin/python3
"""gen.py — the hostile-input corpus of tests/integration/hostile.sh.

    gen.py small DIR   the small cases (committed as tests/hostile/corpus; rerun this to
                       regenerate them: the output is deterministic)
    gen.py big DIR     the big ones, made at test time in a temp dir and deleted after:
                       100 MB cell texts, a 100 MB shared string, a million CSV columns,
                       a 20 MB DISC.json (the 1 GiB CSV line is streamed by hostile.sh)

Every file is hostile in one way and must be refused with exit 2 and a clear message;
the expected message of each is in hostile.sh. Only the standard library is used."""
import base64
import io
import os
import random
import struct
import sys
import zipfile

NS = ('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
RELNS = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
T = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
XXE = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
LAUGHS = ('<!DOCTYPE x [<!ENTITY a "lol">' +
          ''.join('<!ENTITY %s "%s">' % (chr(98 + i), ('&%s;' % chr(97 + i)) * 10) for i in range(9)) +
          ']>\n')
FIXED_TIME = (2026, 11, 25, 12, 0, 0)
# a records header as the survey sheet has it (spec/records.md), then one row
HDR = ['回線No', '通信形態', 'グローバルIP利用', '装置①_装置の種類', '装置①_ホスト名']
ROW = ['1', 'インターネット', 'なし', 'ルーター', 'rt01']


def cells(values, row):
    out = []
    for i, v in enumerate(values):
        out.append('<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>' % (chr(65 + i), row, v))
    return ''.join(out)


def sheet(extra_rows='', tail='', prolog=''):
    return (HEAD + prolog + '<worksheet %s><sheetData><row r="1">%s</row><row r="2">%s</row>%s'
            '</sheetData>%s</worksheet>' % (NS, cells(HDR, 1), cells(ROW, 2), extra_rows, tail))


def book(parts=None, sheet_xml=None, sheet_target='worksheets/sheet1.xml', sst=None, styles=None):
    """the parts of a one-sheet workbook, some replaced"""
    p = {
        '[Content_Types].xml': HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        'xl/workbook.xml': HEAD + '<workbook %s><sheets><sheet name="回線・機器情報記入シート" sheetId="1" '
                           'r:id="rId1"/></sheets></workbook>' % NS,
        'xl/_rels/workbook.xml.rels': HEAD + '<Relationships %s><Relationship Id="rId1" Type="%sworksheet" '
                                      'Target="%s"/><Relationship Id="rId2" Type="%ssharedStrings" '
                                      'Target="sharedStrings.xml"/><Relationship Id="rId3" Type="%sstyles" '
                                      'Target="styles.xml"/></Relationships>' % (RELNS, T, sheet_target, T, T),
        'xl/worksheets/sheet1.xml': sheet_xml if sheet_xml is not None else sheet(),
        'xl/sharedStrings.xml': sst if sst is not None else HEAD + '<sst %s><si><t>x</t></si></sst>' % NS,
        'xl/styles.xml': styles if styles is not None else HEAD + '<styleSheet %s><cellXfs count="1"><xf numFmtId="0"/>'
                         '</cellXfs></styleSheet>' % NS,
    }
    if parts:
        p.update(parts)
    return p


def write_zip(path, parts, level=6, symlinks=(), order=None):
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name in order or parts:
            data = parts[name]
            zi = zipfile.ZipInfo(name, FIXED_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            if name in symlinks:
                zi.create_system = 3
                zi.external_attr = (0o120777 << 16)
            z.writestr(zi, data.encode('utf-8') if isinstance(data, str) else data)


def patch_headers(path, name, fn):
    """calls fn(buf, header_offset, is_central) for the local and central headers of name"""
    b = bytearray(open(path, 'rb').read())
    nb = name.encode()
    i = 0
    while True:
        i = b.find(b'PK', i)
        if i < 0:
            break
        if b[i:i + 4] == b'PK\x03\x04':
            nl = struct.unpack('<H', b[i + 26:i + 28])[0]
            if b[i + 30:i + 30 + nl] == nb:
                fn(b, i, False)
        elif b[i:i + 4] == b'PK\x01\x02':
            nl = struct.unpack('<H', b[i + 28:i + 30])[0]
            if b[i + 46:i + 46 + nl] == nb:
                fn(b, i, True)
        i += 2
    open(path, 'wb').write(b)


def deep(n, inner=''):
    return '<a>' * n + inner + '</a>' * n


def ole(path, stream):
    """an OLE compound file header naming stream (UTF-16) in its directory"""
    b = bytearray(4096)
    b[0:8] = bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
    b[0x1E] = 9
    name = stream.encode('utf-16-le')
    b[1024:1024 + len(name)] = name
    open(path, 'wb').write(bytes(b))


def small(d):
    os.makedirs(d, exist_ok=True)
    x = lambda n: os.path.join(d, n)
    # zip bomb: 60 MB of blanks inside the sheet (about 1000:1)
    write_zip(x('zip-bomb.xlsx'), book(sheet_xml=sheet(tail=' ' * (60 << 20))), level=9)
    # XXE and billion laughs in every part; 10,000-deep XML
    parts = {'workbook': 'xl/workbook.xml', 'rels': 'xl/_rels/workbook.xml.rels',
             'sst': 'xl/sharedStrings.xml', 'styles': 'xl/styles.xml', 'sheet': 'xl/worksheets/sheet1.xml'}
    for key, part in parts.items():
        base = book()[part]
        body = base[len(HEAD):]
        write_zip(x('xxe-%s.xlsx' % key), book({part: HEAD + XXE + body.replace('<si><t>x', '<si><t>&e;')}))
        write_zip(x('laughs-%s.xlsx' % key), book({part: HEAD + LAUGHS + body}))
        root_end = body.index('>') + 1
        write_zip(x('deep-%s.xlsx' % key), book({part: HEAD + body[:root_end] + deep(10000) + body[root_end:]}))
    # broken references and merges
    write_zip(x('ref-row0.xlsx'), book(sheet_xml=sheet('<row r="3"><c r="A0"><v>1</v></c></row>')))
    write_zip(x('ref-negative.xlsx'), book(sheet_xml=sheet('<row r="3"><c r="B-1"><v>1</v></c></row>')))
    write_zip(x('row-zero.xlsx'), book(sheet_xml=sheet('<row r="0"><c><v>1</v></c></row>')))
    write_zip(x('rows-backwards.xlsx'), book(sheet_xml=sheet('<row r="1"><c r="A1"><v>1</v></c></row>')))
    write_zip(x('merge-row0.xlsx'), book(sheet_xml=sheet(tail='<mergeCells count="1"><mergeCell ref="A0:B2"/></mergeCells>')))
    write_zip(x('merge-huge.xlsx'), book(sheet_xml=sheet(tail='<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>')))
    write_zip(x('sst-index.xlsx'), book(sheet_xml=sheet('<row r="3"><c r="A3" t="s"><v>99999</v></c></row>')))
    write_zip(x('columns-beyond.xlsx'), book(sheet_xml=sheet('<row r="3"><c r="XFE3"><v>1</v></c></row>')))
    # traversal and symlink entries, a relationship leaving the package
    write_zip(x('rel-traversal.xlsx'), book(sheet_target='../../../../../etc/passwd'))
    p = book()
    p['xl/worksheets/sheet1.xml'] = '/etc/passwd'
    write_zip(x('symlink-sheet.xlsx'), p, symlinks=('xl/worksheets/sheet1.xml',))
    p = book()
    p['../../../../tmp/edgemap-zip-slip'] = 'owned'
    p['xl/worksheets/sheet1.xml'] = 'not xml <'
    write_zip(x('zip-slip-entry.xlsx'), p)
    # integrity: CRC, duplicate names, zip-level encryption
    write_zip(x('crc.xlsx'), book())
    patch_headers(x('crc.xlsx'), 'xl/worksheets/sheet1.xml',
                  lambda b, i, c: b.__setitem__(slice(i + (16 if c else 14), i + (20 if c else 18)), b'\xde\xad\xbe\xef'))
    p = book()
    p['xl/worksheets/sheetX.xml'] = sheet('<row r="3"><c r="A3"><v>666</v></c></row>')
    write_zip(x('duplicate-entry.xlsx'), p)
    patch_headers(x('duplicate-entry.xlsx'), 'xl/worksheets/sheetX.xml',
                  lambda b, i, c: b.__setitem__(slice(i + (46 if c else 30), i + (46 if c else 30) + 24), b'xl/worksheets/sheet1.xml'))
    write_zip(x('zip-encrypted.xlsx'), book())
    patch_headers(x('zip-encrypted.xlsx'), 'xl/workbook.xml',
                  lambda b, i, c: b.__setitem__(i + (8 if c else 6), b[i + (8 if c else 6)] | 1))
    ole(x('ole-encrypted.xlsx'), 'EncryptedPackage')
    ole(x('old-format.xlsx'), 'Workbook')
    open(x('not-a-zip.xlsx'), 'wb').write(b'PK\x03\x04' + bytes(range(256)) * 4)
    # CSV
    sj = (','.join(HDR) + '\r\n' + ','.join(ROW) + '\r\n').encode('cp932')
    open(x('bom-cp932.csv'), 'wb').write(b'\xef\xbb\xbf' + sj)
    open(x('utf16.csv'), 'wb').write(b'\xff\xfe' + (','.join(HDR) + '\r\n').encode('utf-16-le'))
    open(x('binary.csv'), 'wb').write(b'\x00\x01\x02' * 100)
    open(x('unclosed-quote.csv'), 'w', encoding='utf-8').write(','.join(HDR) + '\n1,"インターネット,なし\n')
    open(x('records.csv'), 'w', encoding='utf-8').write(','.join(HDR) + '\n' + ','.join(ROW) + '\n')
    # nmap XML (with records.csv)
    nm = '<?xml version="1.0"?>\n%s<nmaprun scanner="nmap">%s</nmaprun>\n'
    open(x('nmap-xxe.xml'), 'w').write(nm % (XXE, '<host><address addr="&e;" addrtype="ipv4"/></host>'))
    open(x('nmap-laughs.xml'), 'w').write(nm % (LAUGHS, '<host><address addr="&i;" addrtype="ipv4"/></host>'))
    open(x('nmap-deep.xml'), 'w').write(nm % ('', deep(10000)))
    open(x('nmap-truncated.xml'), 'w').write('<?xml version="1.0"?>\n<nmaprun scanner="nmap"><host><address addr="203.0.113.1"')
    # DISC.json (with records.csv)
    open(x('disc-deep.json'), 'w').write('[' * 10000 + ']' * 10000)
    open(x('disc-schema.json'), 'w').write('{"schema": "something-else/9", "devices": []}')
    open(x('disc-truncated.json'), 'w').write('{"schema": "edgemap-discovery/1", "devices": [{"id": "dev-1", "sys_name": "rt')
    open(x('disc-types.json'), 'w').write('{"schema": "edgemap-discovery/1", "mode": "snmp", "devices": "oops", "links": 7}')
    # walk dumps (discover --from-walk DIR)
    os.makedirs(x('walk-oid215'), exist_ok=True)
    open(x('walk-oid215/sw.walk'), 'w').write('.1.3.6.1.2.1.1.5.0 = STRING: "sw"\n' + '.1' * 215 + ' = INTEGER: 1\n')
    os.makedirs(x('walk-longline'), exist_ok=True)
    open(x('walk-longline/sw.walk'), 'w').write('.1.3.6.1.2.1.1.5.0 = STRING: "' + 'A' * (100 << 10) + '"\n')
    os.makedirs(x('walk-binary'), exist_ok=True)
    open(x('walk-binary/sw.walk'), 'wb').write(bytes(range(256)) * 8)
    # diff inputs
    open(x('diff-deep.json'), 'w').write('{"schema": "edgemap/1", "lines": ' + '[' * 10000 + ']' * 10000 + '}')
    open(x('diff-paths-not-object.json'), 'w').write('{"schema": "edgemap/1", "lines": [{"line_no": "1", "paths": [7, "x"]}]}')
    # --snmp-config: a line with key and value swapped; the secret must not be echoed
    open(x('snmp-swapped.conf'), 'w').write('[default]\nversion = 2c\ns3cretCommunity99 = community\n')


def rand_text(n, seed):
    """n bytes of letters and digits that do not compress much (no zip-bomb refusal)"""
    r = random.Random(seed)
    raw = r.getrandbits(8 * (n * 3 // 4 + 3)).to_bytes(n * 3 // 4 + 3, 'little')
    return base64.b64encode(raw)[:n].replace(b'+', b'a').replace(b'/', b'b').decode()


def big(d):
    os.makedirs(d, exist_ok=True)
    x = lambda n: os.path.join(d, n)
    text = rand_text(100 << 20, 1)
    write_zip(x('cell-100mb.xlsx'), book(sheet_xml=sheet('<row r="3"><c r="A3" t="inlineStr"><is><t>%s</t></is></c></row>' % text)), level=1)
    write_zip(x('sst-100mb.xlsx'), book(sst=HEAD + '<sst %s><si><t>%s</t></si></sst>' % (NS, text),
                                        sheet_xml=sheet('<row r="3"><c r="A3" t="s"><v>0</v></c></row>')), level=1)
    del text
    with open(x('columns-1m.csv'), 'w', encoding='utf-8') as f:
        f.write(','.join(HDR) + '\n')
        f.write(','.join(['1'] * 1000000) + '\n')
    with open(x('disc-20mb.json'), 'w') as f:
        f.write('{"schema": "edgemap-discovery/1", "mode": "snmp", "scopes": [], "seeds": [], "devices": [')
        for i in range(60000):
            f.write('%s{"id": "dev-%d", "sys_name": "sw%d", "queried": "10.%d.%d.%d", "also_reached_at": [], '
                    '"addresses": [{"address": "10.%d.%d.%d", "family": "ipv4", "global": false}], '
                    '"default_next_hops": []}' % (',' if i else '', i, i, i >> 16, (i >> 8) & 255, i & 255,
                                                  i >> 16, (i >> 8) & 255, i & 255))
        f.write('], "links": [], "neighbors_not_queried": [], "errors": [], "timings": {}}\n')


if __name__ == '__main__':
    if len(sys.argv) != 3 or sys.argv[1] not in ('small', 'big'):
        sys.exit(__doc__)
    (small if sys.argv[1] == 'small' else big)(sys.argv[2])
