import { randomUUID } from 'node:crypto'
import { json } from '../../http.js'

/** AWS Query-protocol answers: XML, with a fresh request id in every one. */

export type Service = 'sts' | 'ec2'

/** Text content only needs `<`, `>` and `&` escaped; AWS leaves quotes as they are. */
export const escape = (text: string) =>
  text.replace(/[<>&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&amp;'))

export const stsError = (status: number, code: string, message: string, type = 'Sender') =>
  json(
    status,
    `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <Error>\n    <Type>${type}</Type>\n    <Code>${code}</Code>\n    <Message>${escape(message)}</Message>\n  </Error>\n  <RequestId>${randomUUID()}</RequestId>\n</ErrorResponse>\n`,
    { 'content-type': 'text/xml' },
  )

export const ec2Error = (status: number, code: string, message: string) =>
  json(
    status,
    `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${escape(message)}</Message></Error></Errors><RequestID>${randomUUID()}</RequestID></Response>`,
    { 'content-type': 'text/xml;charset=UTF-8' },
  )

export const awsError = (service: Service, status: number, code: string, message: string) =>
  service === 'sts' ? stsError(status, code, message) : ec2Error(status, code, message)
