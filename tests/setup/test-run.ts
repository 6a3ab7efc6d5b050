// What one Vitest run shares between its workers (set by tests/setup/global-database.ts, a
// globalSetup, in the environment the workers inherit). Imports nothing of the app: the globalSetup
// runs in Vitest's main process, which otherwise loads none of it.

/** The folder tests/setup/global-database.ts drops databases from (set for the workers of a run). */
export const DROP_QUEUE_ENV = 'BANSO_TEST_DROP_QUEUE'
/** The run's id, `<unix seconds>_<8 hex>`: names the seeded templates the run builds and drops. */
export const RUN_ENV = 'BANSO_TEST_RUN'
/** A temporary folder of the run's own (its seeded PGlite templates), removed when the run ends. */
export const RUN_DIR_ENV = 'BANSO_TEST_RUN_DIR'

/** A seeded PostgreSQL template of one run: `banso_seed_<run>_<demo|base>`. */
export const SEEDED_TEMPLATE = /^banso_seed_([0-9]+)_[0-9a-f]{8}_(demo|base)$/

export function seededTemplateName(run: string, demo: boolean): string {
  return `banso_seed_${run}_${demo ? 'demo' : 'base'}`
}
