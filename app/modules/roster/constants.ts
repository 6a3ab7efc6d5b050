/** Largest roster file accepted (bytes). */
export const MAX_ROSTER_BYTES = 5 * 1024 * 1024
