/** Helpers for the tests of every package (server and e2e); never imported by the app itself. */
export { createTestDatabase, type Teardown } from './database.js'
