import { foldVietnamese } from '~/utils/text'

/**
 * The identity of a citizen without an account across sessions: folded name, year of birth and
 * folded village. "Lò Thị Mai, 1990, Thôn Nậm Sài" and "lo thi  mai, 1990, thon nam sai" are one
 * person, counted once per period (docs/decisions/023).
 */
export function citizenKey({ fullName, birthYear, village }: { fullName: string; birthYear: number; village: string }): string {
  return [foldVietnamese(fullName), String(birthYear), foldVietnamese(village)].join('|')
}
