// Values the pages need as well as the validator, kept free of Zod so routes can import them.

export const AUDIENCES = ['civil-servants', 'teachers', 'citizens'] as const
export type AudienceId = (typeof AUDIENCES)[number]
export const LEVELS = ['basic', 'intermediate', 'advanced'] as const
export type LevelId = (typeof LEVELS)[number]

/** Licences a course may carry, with the name and deed shown on every page. */
export const LICENCES = {
  'CC-BY-4.0': { name: 'CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/deed.vi' },
  'CC-BY-SA-4.0': { name: 'CC BY-SA 4.0', url: 'https://creativecommons.org/licenses/by-sa/4.0/deed.vi' },
  'CC0-1.0': { name: 'CC0 1.0', url: 'https://creativecommons.org/publicdomain/zero/1.0/deed.vi' },
} as const
export type LicenceId = keyof typeof LICENCES
