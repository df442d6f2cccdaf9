import { Migration20261127000000 } from './Migration20261127000000.js'
import { Migration20261127140000 } from './Migration20261127140000.js'
import { Migration20261127160000 } from './Migration20261127160000.js'
import { Migration20261128000000 } from './Migration20261128000000.js'
import { Migration20261201000000 } from './Migration20261201000000.js'
import { Migration20261208100000 } from './Migration20261208100000.js'
import { Migration20261210120000 } from './Migration20261210120000.js'
import { Migration20261212000000 } from './Migration20261212000000.js'
import { Migration20261213000000 } from './Migration20261213000000.js'
import { Migration20261214000000 } from './Migration20261214000000.js'
import { Migration20261215000000 } from './Migration20261215000000.js'

/** Committed migrations, oldest first. New ones are appended here by `pnpm migration:create`. */
export const migrationsList = [
  { name: 'Migration20261127000000', class: Migration20261127000000 },
  { name: 'Migration20261127140000', class: Migration20261127140000 },
  { name: 'Migration20261127160000', class: Migration20261127160000 },
  { name: 'Migration20261128000000', class: Migration20261128000000 },
  { name: 'Migration20261201000000', class: Migration20261201000000 },
  { name: 'Migration20261208100000', class: Migration20261208100000 },
  { name: 'Migration20261210120000', class: Migration20261210120000 },
  { name: 'Migration20261212000000', class: Migration20261212000000 },
  { name: 'Migration20261213000000', class: Migration20261213000000 },
  { name: 'Migration20261214000000', class: Migration20261214000000 },
  { name: 'Migration20261215000000', class: Migration20261215000000 },
]
