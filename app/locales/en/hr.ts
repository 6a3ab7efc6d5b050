import type { Messages } from '../types'

export const hr: Messages['hr'] = {
  exportTitle: 'Staff who completed training (per person)',
  csv: 'Per-person list (CSV)',
  xlsx: 'Per-person list (Excel)',
  note: 'One line per person and completed course, within the report’s scope and the filters chosen. The certificate is the current one (not revoked or superseded).',
  columns: {
    number: 'No.',
    staffCode: 'Staff code',
    name: 'Full name',
    jobTitle: 'Job title',
    agencyCode: 'Agency code',
    agency: 'Agency',
    course: 'Course',
    completedAt: 'Completion date',
    certificateNumber: 'Certificate number',
    expiresAt: 'Expiry date',
  },
  noExpiry: 'No expiry',
}
