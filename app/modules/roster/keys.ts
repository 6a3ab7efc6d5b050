import { foldVietnamese } from '~/utils/text'
import { personSortKey } from '~/utils/vietnamese-sort'

/** The derived columns of a staff record, kept whenever its name, code or email change. */
export function staffKeys({ staffCode, fullName, email }: { staffCode: string; fullName: string; email: string | null }) {
  return {
    searchText: foldVietnamese([fullName, staffCode, email ?? ''].join(' ')),
    sortKey: personSortKey(fullName),
  }
}
