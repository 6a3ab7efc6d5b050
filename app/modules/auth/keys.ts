import { foldVietnamese } from '~/utils/text'
import { personSortKey } from '~/utils/vietnamese-sort'

/** The derived columns kept on every user row whenever name, email or phone change. */
export function userKeys({ fullName, email, phone }: { fullName: string; email?: string | null; phone?: string | null }) {
  const localPhone = phone ? `0${phone.slice(3)}` : ''
  return {
    searchText: foldVietnamese([fullName, email ?? '', phone ?? '', localPhone].join(' ')),
    sortKey: personSortKey(fullName),
  }
}
