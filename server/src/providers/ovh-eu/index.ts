import { ovhProvider } from '../ovh/index.js'

export const ovhEu = ovhProvider('eu')

export default ovhEu
