/**
 * A strict, small XML reader for the messages Kouan takes (China customs' DecMessage and the like): elements,
 * attributes, text, CDATA, comments, namespaces. It reads no document type declaration at all: a `<!DOCTYPE`
 * is refused, and so is any entity but the five XML predefines and character references, so that no message can
 * make Kouan fetch a file or a URL (XXE) or expand entities without end (billion laughs). Bytes are decoded by
 * their byte order mark, the media type's charset or the XML declaration's encoding (UTF-8, UTF-16, GBK,
 * GB18030), strictly: a byte that is not of the encoding is an error, never a replacement character.
 */

export type XmlErrorCode = 'XML_SYNTAX' | 'XML_DOCTYPE' | 'XML_ENTITY' | 'XML_CHARSET' | 'XML_TOO_DEEP';

/** What is wrong with a message, and where (1-based line and column). */
export class XmlError extends Error {
  constructor(
    readonly code: XmlErrorCode,
    readonly detail: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${detail} (line ${line}, column ${column})`);
  }
}

export interface XmlElement {
  /** The name as written, prefix included. */
  readonly name: string;
  /** The name without its prefix. */
  readonly local: string;
  /** The namespace the element is in ('' for none). */
  readonly namespace: string;
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
  /** The element's own text (its text and CDATA children joined), not its descendants'. */
  readonly text: string;
  readonly line: number;
}

/** How deep elements may nest; a customs message needs a handful of levels. */
export const MAX_DEPTH = 64;

const ENCODINGS: Readonly<Record<string, string>> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'utf-16': 'utf-16le',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
  gbk: 'gbk',
  gb2312: 'gbk',
  'x-gbk': 'gbk',
  cp936: 'gbk',
  gb18030: 'gb18030',
};

/** The encodings a message may come in. */
export const XML_ENCODINGS: readonly string[] = ['UTF-8', 'UTF-16', 'GBK', 'GB2312', 'GB18030'];

/**
 * The text of a message's bytes: by its byte order mark, else the charset of its media type, else the encoding
 * its XML declaration names, else UTF-8.
 */
export function decodeXml(bytes: Uint8Array, charset?: string): string {
  let label: string | undefined;
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) [label, start] = ['utf-8', 3];
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) [label, start] = ['utf-16le', 2];
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) [label, start] = ['utf-16be', 2];
  else if (charset !== undefined) label = encodingOf(charset);
  else {
    // The declaration is ASCII in every encoding read here but UTF-16, which has a byte order mark.
    const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
    const declared = /^<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1];
    label = declared === undefined ? 'utf-8' : encodingOf(declared);
  }
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes.subarray(start));
  } catch {
    throw new XmlError('XML_CHARSET', `the bytes are not ${label.toUpperCase()}`, 1, 1);
  }
}

function encodingOf(name: string): string {
  const label = ENCODINGS[name.toLowerCase()];
  if (label === undefined) throw new XmlError('XML_CHARSET', `encoding "${name}" is not one Kouan reads (${XML_ENCODINGS.join(', ')})`, 1, 1);
  return label;
}

/** A name (with at most one prefix), matched where the reader is (sticky: no copy of the rest of the message). */
const NAME = /[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*(?::[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*)?/y;
const SPACE = /\s*/y;
const EQUALS = /\s*=\s*(["'])/y;

function matchAt(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

interface Open {
  name: string;
  attributes: Map<string, string>;
  children: XmlElement[];
  text: string[];
  line: number;
  scope: Map<string, string>;
}

/** Reads one XML document into its root element, or throws an XmlError naming what is wrong and where. */
export function parseXml(input: string): XmlElement {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  let index = 0;
  const stack: Open[] = [];
  let root: XmlElement | undefined;

  // Where each line starts, found once: every element is told its line.
  const breaks: number[] = [];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) breaks.push(i);
  const position = (at: number): { line: number; column: number } => {
    let low = 0;
    let high = breaks.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((breaks[middle] ?? 0) < at) low = middle + 1;
      else high = middle;
    }
    return { line: low + 1, column: at - (low === 0 ? -1 : (breaks[low - 1] ?? -1)) };
  };
  const fail = (code: XmlErrorCode, detail: string, at = index): never => {
    const { line, column } = position(at);
    throw new XmlError(code, detail, line, column);
  };

  const decode = (raw: string, at: number): string => {
    if (raw.includes('<')) fail('XML_SYNTAX', 'a "<" inside an attribute value', at + raw.indexOf('<'));
    return raw.replace(/&([^;&\s]*);?/g, (match, name: string, offset: number) => {
      if (!match.endsWith(';')) return fail('XML_SYNTAX', 'an "&" that starts no reference (write &amp;)', at + offset);
      if (name.startsWith('#')) {
        const code = name.startsWith('#x') ? Number.parseInt(name.slice(2), 16) : /^#\d+$/.test(name) ? Number.parseInt(name.slice(1), 10) : Number.NaN;
        const allowed = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
        if (!allowed) return fail('XML_SYNTAX', `&${name}; is not a character XML allows`, at + offset);
        return String.fromCodePoint(code);
      }
      const predefined = PREDEFINED[name];
      if (predefined === undefined) return fail('XML_ENTITY', `&${name}; is an entity: only &lt; &gt; &amp; &quot; &apos; and character references are read`, at + offset);
      return predefined;
    });
  };

  const addText = (raw: string, at: number) => {
    const top = stack.at(-1);
    if (top === undefined) {
      if (raw.trim() !== '') fail('XML_SYNTAX', 'text outside the root element', at);
      return;
    }
    top.text.push(decode(raw, at));
  };

  // The XML declaration, if any, comes first.
  if (text.startsWith('<?xml') && /\s/.test(text.charAt(5))) {
    const end = text.indexOf('?>');
    if (end === -1) fail('XML_SYNTAX', 'the XML declaration does not end');
    const version = /\bversion\s*=\s*["']([^"']*)["']/.exec(text.slice(0, end))?.[1];
    if (version !== '1.0' && version !== '1.1') fail('XML_SYNTAX', `version "${version ?? ''}" is not XML 1.0`);
    index = end + 2;
  }

  while (index < text.length) {
    const lt = text.indexOf('<', index);
    if (lt === -1) {
      addText(text.slice(index), index);
      break;
    }
    if (lt > index) addText(text.slice(index, lt), index);
    index = lt;
    if (text.startsWith('<!--', index)) {
      const end = text.indexOf('-->', index + 4);
      if (end === -1) fail('XML_SYNTAX', 'a comment does not end');
      index = end + 3;
    } else if (text.startsWith('<![CDATA[', index)) {
      const end = text.indexOf(']]>', index + 9);
      if (end === -1) fail('XML_SYNTAX', 'a CDATA section does not end');
      const top = stack.at(-1);
      if (top === undefined) fail('XML_SYNTAX', 'a CDATA section outside the root element');
      top?.text.push(text.slice(index + 9, end));
      index = end + 3;
    } else if (text.startsWith('<!', index)) {
      // <!DOCTYPE, <!ENTITY and every other declaration: none is read.
      fail('XML_DOCTYPE', 'a document type declaration: Kouan reads no DTD and no entity declarations (send the message without <!DOCTYPE>)');
    } else if (text.startsWith('<?', index)) {
      // A processing instruction (a stylesheet, say) means nothing to Kouan.
      const end = text.indexOf('?>', index + 2);
      if (end === -1) fail('XML_SYNTAX', 'a processing instruction does not end');
      if (/^<\?xml[\s?]/i.test(text.slice(index, index + 6))) fail('XML_SYNTAX', 'an XML declaration that is not at the start');
      index = end + 2;
    } else if (text.startsWith('</', index)) {
      const name = matchAt(NAME, text, index + 2)?.[0];
      const open = stack.pop();
      if (name === undefined || open === undefined) return fail('XML_SYNTAX', 'an end tag with no element open');
      if (name !== open.name) fail('XML_SYNTAX', `</${name}> closes <${open.name}>`);
      const end = text.indexOf('>', index);
      if (end === -1 || text.slice(index + 2 + name.length, end).trim() !== '') fail('XML_SYNTAX', `the end tag </${name}> is malformed`);
      index = end + 1;
      close(open);
    } else {
      const start = index;
      const name = matchAt(NAME, text, index + 1)?.[0];
      if (name === undefined) fail('XML_SYNTAX', 'a "<" that starts no element (write &lt;)');
      if (stack.length === 0 && root !== undefined) fail('XML_SYNTAX', 'a second root element');
      if (stack.length >= MAX_DEPTH) fail('XML_TOO_DEEP', `elements nest deeper than ${MAX_DEPTH} levels`);
      index += 1 + (name?.length ?? 0);
      const attributes = new Map<string, string>();
      for (;;) {
        const space = matchAt(SPACE, text, index)?.[0].length ?? 0;
        index += space;
        if (text.startsWith('/>', index) || text.startsWith('>', index)) break;
        if (space === 0) fail('XML_SYNTAX', `<${name ?? ''}> needs a space before its next attribute`);
        const attribute = matchAt(NAME, text, index)?.[0];
        if (attribute === undefined) fail('XML_SYNTAX', `a malformed attribute in <${name ?? ''}>`);
        index += attribute?.length ?? 0;
        const match = matchAt(EQUALS, text, index);
        if (match === null) return fail('XML_SYNTAX', `attribute ${attribute ?? ''} has no quoted value`);
        index += match[0].length;
        const quote = match[1] ?? '"';
        const end = text.indexOf(quote, index);
        if (end === -1) fail('XML_SYNTAX', `the value of attribute ${attribute ?? ''} does not end`);
        if (attributes.has(attribute ?? '')) fail('XML_SYNTAX', `attribute ${attribute ?? ''} appears twice`);
        attributes.set(attribute ?? '', decode(text.slice(index, end), index));
        index = end + 1;
      }
      const scope = new Map(stack.at(-1)?.scope ?? [['', ''], ['xml', 'http://www.w3.org/XML/1998/namespace']]);
      for (const [attribute, value] of attributes) {
        if (attribute === 'xmlns') scope.set('', value);
        else if (attribute.startsWith('xmlns:')) scope.set(attribute.slice(6), value);
      }
      const open: Open = { name: name ?? '', attributes, children: [], text: [], line: position(start).line, scope };
      if (text.startsWith('/>', index)) {
        index += 2;
        close(open);
      } else {
        index += 1;
        stack.push(open);
      }
    }
  }
  const unclosed = stack.at(-1);
  if (unclosed !== undefined) fail('XML_SYNTAX', `<${unclosed.name}> is not closed`, text.length);
  if (root === undefined) fail('XML_SYNTAX', 'no root element', text.length);
  return root as XmlElement;

  function close(open: Open): void {
    const colon = open.name.indexOf(':');
    const prefix = colon === -1 ? '' : open.name.slice(0, colon);
    const namespace = open.scope.get(prefix);
    if (namespace === undefined) fail('XML_SYNTAX', `prefix "${prefix}" of <${open.name}> is not declared`);
    const element: XmlElement = { name: open.name, local: colon === -1 ? open.name : open.name.slice(colon + 1), namespace: namespace ?? '', attributes: open.attributes, children: open.children, text: open.text.join(''), line: open.line };
    const parent = stack.at(-1);
    if (parent === undefined) root = element;
    else parent.children.push(element);
  }
}

/** The first child element of this local name. */
export function child(element: XmlElement | undefined, local: string): XmlElement | undefined {
  return element?.children.find((candidate) => candidate.local === local);
}

/** Every child element of this local name. */
export function childrenOf(element: XmlElement | undefined, local: string): XmlElement[] {
  return element?.children.filter((candidate) => candidate.local === local) ?? [];
}

/** The trimmed text of the first child of this local name; undefined when it is absent or empty. */
export function textOf(element: XmlElement | undefined, local: string): string | undefined {
  const text = child(element, local)?.text.trim();
  return text === undefined || text === '' ? undefined : text;
}

/** Text as element content: the characters XML reserves escaped. */
export function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}
