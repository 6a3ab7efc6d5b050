// Vietnamese, the default language. Every string is NFC (a unit test checks it).
// Each area of the product keeps its strings in its own file under vi/ (and en/).
import { auth } from './vi/auth'
import { certificates } from './vi/certificates'
import { content } from './vi/content'
import { classes } from './vi/classes'
import { learning } from './vi/learning'
import { reports } from './vi/reports'
import { reminders } from './vi/reminders'
import { offline } from './vi/offline'
import { periods } from './vi/periods'
import { training } from './vi/training'
import { hr } from './vi/hr'

export const vi = {
  meta: {
    siteName: 'Bản Số',
    tagline: 'Học kỹ năng số cho cán bộ, giáo viên và người dân Lào Cai',
    description:
      'Bản Số là hệ thống học trực tuyến mã nguồn mở về kỹ năng công nghệ thông tin cho cán bộ, công chức, giáo viên và người dân tỉnh Lào Cai.',
  },
  layout: {
    skipToContent: 'Bỏ qua, đến nội dung chính',
    mainNav: 'Điều hướng chính',
    home: 'Trang chủ',
    language: 'Ngôn ngữ',
    switchTo: 'English',
    switchToLabel: 'Chuyển sang tiếng Anh',
    footer: 'Bản Số — phần mềm mã nguồn mở. Bài học theo giấy phép CC BY 4.0.',
  },
  home: {
    title: 'Học kỹ năng số, từng bước một',
    lead: 'Bản Số giúp cán bộ ở sở, ngành, xã, phường, thầy cô giáo và bà con nông dân học và dùng công nghệ thông tin trong công việc hằng ngày — ngay trên điện thoại, kể cả khi mạng yếu.',
    programmesTitle: 'Chương trình học',
    programmes: {
      basic: {
        title: 'Tin học cơ bản',
        text: 'Sáu mô-đun theo Chuẩn kỹ năng sử dụng công nghệ thông tin cơ bản (IU01–IU06): máy tính, soạn thảo văn bản, bảng tính, trình chiếu và Internet.',
      },
      services: {
        title: 'Dịch vụ công trực tuyến',
        text: 'Tài khoản định danh điện tử VNeID, nộp hồ sơ và thanh toán trên Cổng Dịch vụ công quốc gia, tự bảo vệ mình trên mạng.',
      },
      agriculture: {
        title: 'Nông nghiệp số',
        text: 'Bán nông sản trên sàn thương mại điện tử, tem truy xuất nguồn gốc, thông tin thời tiết và giá cả thị trường.',
      },
    },
    whoTitle: 'Dành cho ai?',
    who: {
      staff: 'Cán bộ, công chức, viên chức: học theo chuẩn, nhận chứng chỉ có thể xác minh.',
      teachers: 'Giáo viên: dùng lại bài học trên lớp, kể cả nơi không có mạng.',
      hr: 'Cán bộ tổ chức: theo dõi số người đã được bồi dưỡng của đơn vị.',
    },
    agenciesTitle: 'Đơn vị trong hệ thống',
    agenciesText: 'Hệ thống đã có {total} đơn vị của tỉnh: {departments} sở, ban, ngành và tổ chức cấp tỉnh, {wards} phường và {communes} xã.',
  },
  errors: {
    notFoundTitle: 'Không tìm thấy trang',
    notFoundText: 'Trang bạn tìm không có hoặc đã được chuyển đi. Hãy kiểm tra lại địa chỉ.',
    forbiddenTitle: 'Bạn không có quyền xem trang này',
    forbiddenText: 'Nếu bạn nghĩ đây là nhầm lẫn, hãy liên hệ người quản lý của đơn vị.',
    serverTitle: 'Đã có lỗi xảy ra',
    serverText: 'Máy chủ gặp sự cố khi xử lý yêu cầu. Vui lòng thử lại sau ít phút.',
    genericTitle: 'Không thực hiện được yêu cầu',
    backHome: 'Về trang chủ',
    statusLabel: 'Mã lỗi',
  },
  auth,
  content,
  learning,
  reports,
  reminders,
  certificates,
  classes,
  offline,
  periods,
  training,
  hr,
} as const
