import type { vi } from './vi'

type Widen<T> = T extends string ? string : { readonly [K in keyof T]: Widen<T[K]> }

/** The shape of every locale: the Vietnamese messages with their texts widened to string. */
export type Messages = Widen<typeof vi>
