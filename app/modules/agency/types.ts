export const AGENCY_TYPES = ['PROVINCE', 'DEPARTMENT', 'PARTY', 'FRONT', 'COMMUNE', 'WARD', 'SCHOOL', 'UNIT'] as const
export type AgencyTypeName = (typeof AGENCY_TYPES)[number]
