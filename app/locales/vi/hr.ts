// The per-person register for HR (issue 22): the report's scope, one row per person and course completed.
export const hr = {
  exportTitle: 'Danh sách cán bộ đã hoàn thành bồi dưỡng (theo từng người)',
  csv: 'Danh sách theo người (CSV)',
  xlsx: 'Danh sách theo người (Excel)',
  note: 'Mỗi dòng là một người và một khoá học đã hoàn thành, trong phạm vi báo cáo và bộ lọc đang chọn. Chứng chỉ là chứng chỉ hiện hành (chưa bị thu hồi hay thay thế).',
  columns: {
    number: 'STT',
    staffCode: 'Mã cán bộ',
    name: 'Họ và tên',
    jobTitle: 'Chức danh',
    agencyCode: 'Mã đơn vị',
    agency: 'Đơn vị',
    course: 'Khoá bồi dưỡng',
    completedAt: 'Ngày hoàn thành',
    certificateNumber: 'Số chứng chỉ',
    expiresAt: 'Ngày hết hạn',
  },
  noExpiry: 'Không thời hạn',
} as const
