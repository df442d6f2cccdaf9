import { test } from 'tap'
import { parseXml, textAt } from '../../src/providers/aws/xml.js'

/** Character references XML 1.0 allows decode; the rest make the answer unreadable, not stored. */
test('character references: legal ones decode, NUL, controls and surrogates are refused', async (t) => {
  const doc = parseXml('<r><name>a&#x1F600;&#233;&#9;b</name></r>')
  t.equal(textAt(doc, 'name'), 'a\u{1F600}\u00e9\tb')
  for (const ref of ['&#0;', '&#x0;', '&#1;', '&#xD800;', '&#57343;', '&#xFFFE;', '&#x110000;'])
    t.throws(
      () => parseXml(`<r><name>a${ref}</name></r>`),
      { message: 'bad character reference' },
      ref,
    )
})
