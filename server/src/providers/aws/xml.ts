/**
 * Just enough XML for AWS Query-protocol answers (elements and text, nothing else). There is no
 * DTD support at all, so entity expansion and external entities cannot happen; anything outside
 * that subset is an error, which the caller turns into "unreachable", never a verdict.
 */

export interface XmlNode {
  name: string
  children: XmlNode[]
  text: string
}

export class XmlError extends Error {}

/** A response larger than this is not an STS or EC2 answer we asked for. */
const MAX_LENGTH = 16 * 1024 * 1024

const TOKEN =
  /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[([\s\S]*?)\]\]>|<\/([A-Za-z_][\w.:-]*)\s*>|<([A-Za-z_][\w.:-]*)(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*(\/?)>|([^<]+)/y

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

/** XML 1.0's Char production: no NUL, no other C0 control but tab and newlines, no surrogates. */
const isXmlChar = (code: number) =>
  code === 0x9 ||
  code === 0xa ||
  code === 0xd ||
  (code >= 0x20 && code <= 0xd7ff) ||
  (code >= 0xe000 && code <= 0xfffd) ||
  (code >= 0x10000 && code <= 0x10ffff)

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);|&/g, (match, ref: string | undefined) => {
    if (!ref) throw new XmlError('bare ampersand')
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10)
      if (!isXmlChar(code)) throw new XmlError('bad character reference')
      return String.fromCodePoint(code)
    }
    const value = ENTITIES[ref]
    if (value === undefined) throw new XmlError(`unknown entity ${match}`)
    return value
  })
}

/** Namespaces are ignored: AWS puts everything in one default namespace. */
const localName = (name: string) => name.slice(name.indexOf(':') + 1)

export function parseXml(input: string): XmlNode {
  if (input.length > MAX_LENGTH) throw new XmlError('document too large')
  const root: XmlNode = { name: '#document', children: [], text: '' }
  const stack: XmlNode[] = [root]
  TOKEN.lastIndex = 0
  while (TOKEN.lastIndex < input.length) {
    const at = TOKEN.lastIndex
    const m = TOKEN.exec(input)
    if (!m) throw new XmlError(`unexpected markup at ${at}`)
    const [, cdata, close, open, selfClosing, text] = m
    const top = stack[stack.length - 1] as XmlNode
    if (open !== undefined) {
      if (top === root && root.children.length > 0) throw new XmlError('more than one root')
      const node: XmlNode = { name: localName(open), children: [], text: '' }
      top.children.push(node)
      if (!selfClosing) stack.push(node)
    } else if (close !== undefined) {
      if (top === root || top.name !== localName(close))
        throw new XmlError(`unexpected </${close}>`)
      stack.pop()
    } else if (cdata !== undefined || text !== undefined) {
      if (top === root) {
        if (text?.trim()) throw new XmlError('text outside the root element')
      } else top.text += cdata ?? decode(text as string)
    }
  }
  const doc = root.children[0]
  if (stack.length !== 1 || !doc) throw new XmlError('document is incomplete')
  return doc
}

export const child = (node: XmlNode | undefined, name: string): XmlNode | undefined =>
  node?.children.find((c) => c.name === name)

export const childrenNamed = (node: XmlNode | undefined, name: string): XmlNode[] =>
  node?.children.filter((c) => c.name === name) ?? []

/** Text at a path of child names, trimmed; undefined when any step is missing. */
export function textAt(node: XmlNode | undefined, ...path: string[]): string | undefined {
  let current = node
  for (const name of path) current = child(current, name)
  const text = current?.text.trim()
  return text ? text : undefined
}
