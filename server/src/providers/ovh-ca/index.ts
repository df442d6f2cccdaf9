import { ovhProvider } from '../ovh/index.js'

export const ovhCa = ovhProvider('ca')

export default ovhCa
