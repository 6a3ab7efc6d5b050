// What a person reads when a file is over a limit: what was too big, and what to do about it.
import { AppError } from '~/utils/errors'
import type { UploadLimit, UploadLimits } from './limits'

const mb = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`
const count = (n: number) => n.toLocaleString('vi-VN')

export function limitMessage(limit: UploadLimit, limits: UploadLimits): string {
  switch (limit) {
    case 'bytes':
      return `Tệp lớn quá ${mb(limits.maxBytes)}.`
    case 'entries':
      return `Tệp .xlsx chứa quá nhiều phần (hơn ${count(limits.maxEntries)}): đây không phải một bảng tính bình thường.`
    case 'entryBytes':
    case 'totalBytes':
      return `Bảng tính khi giải nén lớn quá ${mb(limit === 'entryBytes' ? limits.maxEntryBytes : limits.maxTotalBytes)}. Hãy chỉ giữ lại trang tính danh sách và các cột cần nhập.`
    case 'ratio':
      return `Tệp .xlsx nén bất thường (giải nén ra hơn ${count(limits.maxRatio)} lần kích thước): tệp bị từ chối để bảo vệ máy chủ.`
    case 'rows':
      return `Tệp có quá nhiều dòng (tối đa ${count(limits.maxRows - 1)} dòng dữ liệu). Hãy chia thành nhiều tệp.`
    case 'columns':
      return `Tệp có dữ liệu ở quá nhiều cột (tối đa ${count(limits.maxColumns)} cột).`
    case 'sharedStrings':
      return `Bảng tính chứa quá nhiều chuỗi văn bản (tối đa ${count(limits.maxSharedStrings)} chuỗi, ${count(limits.maxSharedChars)} ký tự).`
    case 'depth':
      return 'Nội dung XML trong tệp .xlsx lồng nhau quá sâu: tệp hỏng hoặc không phải bảng tính bình thường.'
  }
}

/** The error for a file over a limit: 413, except a malformed structure (400). */
export function limitError(limit: UploadLimit, limits: UploadLimits): AppError {
  return new AppError(limit === 'depth' ? 'BAD_INPUT' : 'TOO_LARGE', limitMessage(limit, limits), { limit })
}
