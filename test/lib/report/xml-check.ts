// A small strict XML 1.0 reader for tests (not a suite): throws on anything not well-formed,
// otherwise returns the element tree with entities decoded.
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

// eslint-disable-next-line no-control-regex
const INVALID_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const NAME = /^[A-Za-z_:][A-Za-z0-9_:.-]*/;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: number): string {
  if (raw.includes('<')) throw new Error(`raw "<" at ${where}`);
  return raw.replace(/&([^;]*);?/g, (whole, body: string) => {
    if (!whole.endsWith(';')) throw new Error(`unterminated entity at ${where}: ${whole}`);
    if (body in PREDEFINED) return PREDEFINED[body]!;
    const num = /^#(\d+)$/.exec(body) ?? /^#x([0-9a-fA-F]+)$/.exec(body);
    if (!num) throw new Error(`unknown entity &${body}; at ${where}`);
    const code = parseInt(num[1]!, body.startsWith('#x') ? 16 : 10);
    const char = String.fromCodePoint(code);
    if (INVALID_CHAR.test(char)) throw new Error(`character reference to a forbidden character at ${where}`);
    return char;
  });
}

export function parseXml(xml: string): XmlElement {
  const bad = INVALID_CHAR.exec(xml);
  if (bad) throw new Error(`forbidden character U+${bad[0].charCodeAt(0).toString(16)} at ${bad.index}`);
  let pos = 0;
  const decl = /^<\?xml [^?]*\?>\s*/.exec(xml);
  if (decl) pos = decl[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;

  while (pos < xml.length) {
    const lt = xml.indexOf('<', pos);
    const textEnd = lt === -1 ? xml.length : lt;
    const text = xml.slice(pos, textEnd);
    if (text.length > 0) {
      if (text.includes('>')) throw new Error(`raw ">" in text at ${pos}`);
      const top = stack[stack.length - 1];
      if (!top) {
        if (text.trim() !== '') throw new Error(`text outside the root element at ${pos}`);
      } else top.text += decode(text.replace(/\r\n?/g, '\n'), pos);
    }
    if (lt === -1) break;
    pos = lt;
    if (xml.startsWith('</', pos)) {
      const m = /^<\/([A-Za-z_:][A-Za-z0-9_:.-]*)\s*>/.exec(xml.slice(pos));
      if (!m) throw new Error(`bad end tag at ${pos}`);
      const open = stack.pop();
      if (!open || open.name !== m[1]) throw new Error(`end tag </${m[1]}> does not close <${open?.name}> at ${pos}`);
      pos += m[0].length;
      continue;
    }
    pos += 1;
    const name = NAME.exec(xml.slice(pos))?.[0];
    if (!name) throw new Error(`bad tag name at ${pos}`);
    pos += name.length;
    const element: XmlElement = { name, attrs: {}, children: [], text: '' };
    for (;;) {
      const ws = /^\s*/.exec(xml.slice(pos))![0];
      pos += ws.length;
      if (xml.startsWith('/>', pos) || xml.startsWith('>', pos)) break;
      if (ws.length === 0) throw new Error(`missing space before attribute at ${pos}`);
      const attr = /^([A-Za-z_:][A-Za-z0-9_:.-]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(xml.slice(pos));
      if (!attr) throw new Error(`bad attribute at ${pos}`);
      if (attr[1]! in element.attrs) throw new Error(`duplicate attribute ${attr[1]} at ${pos}`);
      // Attribute-value normalisation: raw whitespace characters become spaces.
      element.attrs[attr[1]!] = decode((attr[3] ?? attr[4]!).replace(/[\t\n\r]/g, ' '), pos);
      pos += attr[0].length;
    }
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else if (root) throw new Error(`second root element at ${pos}`);
    else root = element;
    if (xml.startsWith('/>', pos)) pos += 2;
    else {
      pos += 1;
      stack.push(element);
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (!root) throw new Error('no root element');
  return root;
}

export function find(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((child) => [...(child.name === name ? [child] : []), ...find(child, name)]);
}
