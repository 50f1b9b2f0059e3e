import { describe, expect, it } from 'vitest';
import { child, childrenOf, decodeXml, parseXml, textOf, XmlError } from './reader.js';

function refusal(text: string): XmlError {
  try {
    parseXml(text);
  } catch (error) {
    if (error instanceof XmlError) return error;
    throw error;
  }
  throw new Error('read without a problem');
}

describe('the XML reader', () => {
  it('reads elements, attributes, text, CDATA, comments, references and namespaces', () => {
    const root = parseXml(
      '\uFEFF<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!-- a sender comment -->\n<?xml-stylesheet href="dec.xsl"?>\n' +
        '<d:DecMessage xmlns:d="http://www.chinaport.gov.cn/dec" Version=\'3.1\'>\n  <d:DecHead><d:IEFlag>I</d:IEFlag><d:NoteS>A &amp; B &lt;1&gt; &#x4E2D;&#22269; <![CDATA[<raw & kept>]]></d:NoteS><d:Empty/></d:DecHead>\n' +
        '  <d:DecLists><d:DecList><d:GNo>1</d:GNo></d:DecList><d:DecList><d:GNo> 2 </d:GNo></d:DecList></d:DecLists>\n</d:DecMessage>\n',
    );
    expect(root).toMatchObject({ name: 'd:DecMessage', local: 'DecMessage', namespace: 'http://www.chinaport.gov.cn/dec', line: 4 });
    expect(root.attributes.get('Version')).toBe('3.1');
    const head = child(root, 'DecHead');
    expect(textOf(head, 'IEFlag')).toBe('I');
    expect(textOf(head, 'NoteS')).toBe('A & B <1> 中国 <raw & kept>');
    expect(textOf(head, 'Empty')).toBeUndefined();
    expect(childrenOf(child(root, 'DecLists'), 'DecList').map((line) => textOf(line, 'GNo'))).toEqual(['1', '2']);
  });

  it('refuses a document type declaration, internal or external: no XXE, no billion laughs', () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>';
    expect(refusal(xxe)).toMatchObject({ code: 'XML_DOCTYPE', line: 1, column: 22 });
    const laughs = `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>`;
    expect(refusal(laughs).code).toBe('XML_DOCTYPE');
    expect(refusal('<r><!ENTITY x "y"></r>').code).toBe('XML_DOCTYPE');
    expect(refusal('<!DOCTYPE r SYSTEM "http://attacker.example/dec.dtd"><r/>').code).toBe('XML_DOCTYPE');
  });

  it('reads no entity but the predefined ones, and no character XML forbids', () => {
    expect(refusal('<r>&nbsp;</r>')).toMatchObject({ code: 'XML_ENTITY', detail: expect.stringContaining('&nbsp;') });
    expect(refusal('<r a="&ext;"/>').code).toBe('XML_ENTITY');
    expect(refusal('<r>&#0;</r>').code).toBe('XML_SYNTAX');
    expect(refusal('<r>&#xD800;</r>').code).toBe('XML_SYNTAX');
    expect(refusal('<r>fish & chips</r>').code).toBe('XML_SYNTAX');
  });

  it('names where a message is not well formed', () => {
    expect(refusal('<a><b></a>')).toMatchObject({ code: 'XML_SYNTAX', detail: '</a> closes <b>' });
    expect(refusal('<a>\n  <b>\n</a>').line).toBe(3);
    expect(refusal('<a>').detail).toBe('<a> is not closed');
    expect(refusal('<a/><b/>').detail).toBe('a second root element');
    expect(refusal('text<a/>').detail).toBe('text outside the root element');
    expect(refusal('<a x="1" x="2"/>').detail).toBe('attribute x appears twice');
    expect(refusal('<a x=1/>').detail).toContain('no quoted value');
    expect(refusal('<p:a/>').detail).toContain('prefix "p"');
    expect(refusal('').detail).toBe('no root element');
    expect(refusal('<a>1 < 2</a>').code).toBe('XML_SYNTAX');
    expect(refusal(`${'<a>'.repeat(65)}${'</a>'.repeat(65)}`).code).toBe('XML_TOO_DEEP');
  });

  it('decodes bytes by their BOM, the media type charset or the declaration, strictly', () => {
    const gbk = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="GBK"?><r>'), Buffer.from([0xd6, 0xd0, 0xb9, 0xfa]), Buffer.from('</r>')]);
    expect(parseXml(decodeXml(gbk)).text).toBe('中国');
    expect(parseXml(decodeXml(Buffer.concat([Buffer.from('<r>'), Buffer.from([0xd6, 0xd0, 0xb9, 0xfa]), Buffer.from('</r>')]), 'gb2312')).text).toBe('中国');
    expect(parseXml(decodeXml(Buffer.from('\uFEFF<r>中国</r>', 'utf8'))).text).toBe('中国');
    expect(parseXml(decodeXml(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<r>中国</r>', 'utf16le')]))).text).toBe('中国');
    // GBK bytes sent as UTF-8: refused, never read as replacement characters.
    expect(() => decodeXml(gbk.subarray(gbk.indexOf(0x3c, 5)), 'utf-8')).toThrow(expect.objectContaining({ code: 'XML_CHARSET' }));
    expect(() => decodeXml(Buffer.from('<?xml version="1.0" encoding="EBCDIC-CP-US"?><r/>'))).toThrow(expect.objectContaining({ code: 'XML_CHARSET', detail: expect.stringContaining('EBCDIC-CP-US') }));
  });

  it('reads a large message in linear time', () => {
    const lines = Array.from({ length: 20_000 }, (_, index) => `<DecList><GNo>${String(index + 1)}</GNo><GName>item ${String(index)}</GName></DecList>`).join('\n');
    const root = parseXml(`<DecLists>${lines}</DecLists>`);
    expect(root.children).toHaveLength(20_000);
    expect(root.children.at(-1)?.line).toBe(20_000);
  });
});
