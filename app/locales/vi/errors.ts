// Domain errors (AppError), by key: thrown in Vietnamese-neutral form by app/modules and formatted
// in the reader's language when they reach a page (app/utils/errors.ts). `{name}` are parameters.
export const errors = {
  // certificates
  'certificate.notFoundOrHidden': 'Không có chứng chỉ này, hoặc bạn không có quyền xem.',
  'certificate.listForbidden': 'Bạn không có quyền xem danh sách chứng chỉ.',
  'certificate.revokeAdminOnly': 'Chỉ quản trị viên mới thu hồi được chứng chỉ.',
  'certificate.revokeReasonLength': 'Lý do thu hồi phải dài từ 5 đến 500 ký tự.',
  'certificate.notFound': 'Không có chứng chỉ này.',
  'certificate.alreadyRevoked': 'Chứng chỉ này đã bị thu hồi trước đó.',
  // people and permissions
  'auth.peopleForbidden': 'Bạn không có quyền quản lý người dùng.',
  'auth.adminOnly': 'Chỉ quản trị viên mới làm được việc này.',
  'auth.userNotInScope': 'Không tìm thấy người dùng trong phạm vi bạn quản lý.',
  'auth.grantNotFound': 'Không tìm thấy vai trò này.',
  // reports
  'report.forbidden': 'Chỉ quản lý đơn vị và quản trị viên xem được báo cáo.',
  'report.agencyNotInScope': 'Không tìm thấy đơn vị này trong phạm vi bạn được xem.',
  'report.unknownCourse': 'Không có khoá học này.',
  // assignments
  'assignment.notFound': 'Không tìm thấy khoá học được giao này.',
  // roster
  'roster.tooLarge': 'Tệp lớn quá {mb} MB.',
  'roster.empty': 'Tệp trống.',
  'roster.importNotFound': 'Không tìm thấy lần nhập này.',
  'roster.missingColumns': 'Dòng đầu của tệp phải là tên các cột. Thiếu cột: {missing}. Các cột đọc được: {found}.',
  'roster.noHeader': 'Tệp trống: không có dòng tiêu đề.',
  // spreadsheets
  'sheet.notXlsx': 'Tệp có đuôi .xlsx nhưng nội dung không phải tệp Excel (.xlsx).',
  'sheet.binaryCsv': 'Tệp .csv chứa dữ liệu nhị phân, không phải văn bản.',
  'sheet.notUtf8': 'Tệp .csv không phải văn bản UTF-8. Trong Excel, hãy lưu bằng “CSV UTF-8 (Comma delimited)”.',
  'sheet.wrongType': 'Chỉ nhận tệp .csv hoặc .xlsx.',
  'sheet.badCsv': 'Không đọc được tệp CSV: dấu ngoặc kép không khớp hoặc dòng hỏng.',
  'sheet.badCsvAt': 'Không đọc được tệp CSV (dòng {line}): dấu ngoặc kép không khớp hoặc dòng hỏng.',
  'sheet.badXlsx': 'Không mở được tệp Excel: tệp hỏng hoặc không phải .xlsx.',
  'sheet.noWorksheet': 'Tệp Excel không có trang tính nào.',
  // content and learning
  'content.unknownCourse': 'Không có khoá học "{course}".',
  'content.unknownLesson': 'Không có bài học "{lesson}" trong khoá "{course}".',
  'content.questionNotInLesson': 'Câu hỏi này không có trong bài học.',
  'content.badAnswer': '{detail}',
  'learning.syncIdTaken': 'Mã đồng bộ này đã được dùng.',
  // quiz
  'quiz.none': 'Khoá học "{course}" không có bài kiểm tra cuối khoá.',
  'quiz.attemptsUsed': 'Bạn đã dùng hết {allowed} lượt làm bài kiểm tra của khoá này.',
  'quiz.startedElsewhere': 'Bài kiểm tra vừa được bắt đầu ở nơi khác. Hãy tải lại trang.',
  'quiz.attemptNotFound': 'Không có lượt làm bài này.',
  'quiz.foreignQuestion': 'Có câu trả lời cho một câu hỏi không thuộc bài làm này. Hãy tải lại trang rồi làm tiếp.',
  'quiz.badAnswer': 'Câu {n}: {detail}',
  'quiz.submitted': 'Bài làm này đã được nộp; không thể sửa câu trả lời nữa.',
  'quiz.timeUp': 'Đã hết giờ làm bài; bài làm đã được nộp với các câu trả lời đã lưu trước đó.',
  // classes
  'classes.teachersOnly': 'Chỉ giáo viên mới tạo và quản lý lớp học.',
  'classes.codeFailed': 'Không tạo được mã lớp, hãy thử lại.',
  'classes.notFound': 'Không có lớp học này.',
  'classes.noPin': 'Học sinh này không đăng nhập bằng mã PIN trong lớp.',
  // agencies
  'agency.forbidden': 'Chỉ quản lý đơn vị và quản trị viên quản lý được đơn vị.',
  'agency.notInScope': 'Không tìm thấy đơn vị trong phạm vi bạn quản lý.',
  'agency.notFound': 'Không tìm thấy đơn vị.',
  'agency.csvUnreadable': '{source}: không đọc được tệp CSV: {detail}',
  'agency.csvProblems': '{detail}',
  'agency.cycle': 'vòng lặp trong cây đơn vị: {trail}',
  // offline packs
  'offline.unknownLesson': 'Không có bài học "{lesson}" trong khoá "{course}".',
  'auth.deactivatedNoReset': 'Tài khoản này đang bị khoá: hãy mở khoá trước khi đặt lại mật khẩu.',
  'auth.protectedTarget': 'Chỉ quản trị viên mới thao tác được trên tài khoản quản lý đơn vị hoặc quản trị viên.',
  'roster.linkNotFound': 'Không tìm thấy đề nghị liên kết này.',
  'roster.linkDecided': 'Đề nghị liên kết này đã được quyết định.',
  'roster.linkTaken': 'Hồ sơ cán bộ này đã được liên kết với tài khoản khác.',
  // uploads (app/modules/files)
  'upload.bytes': 'Tệp lớn quá {mb} MB.',
  'upload.entries': 'Tệp .xlsx chứa quá nhiều phần (hơn {count}): đây không phải một bảng tính bình thường.',
  'upload.inflated': 'Bảng tính khi giải nén lớn quá {mb} MB. Hãy chỉ giữ lại trang tính danh sách và các cột cần nhập.',
  'upload.ratio': 'Tệp .xlsx nén bất thường (giải nén ra hơn {count} lần kích thước): tệp bị từ chối để bảo vệ máy chủ.',
  'upload.rows': 'Tệp có quá nhiều dòng (tối đa {count} dòng dữ liệu). Hãy chia thành nhiều tệp.',
  'upload.columns': 'Tệp có dữ liệu ở quá nhiều cột (tối đa {count} cột).',
  'upload.sharedStrings': 'Bảng tính chứa quá nhiều chuỗi văn bản (tối đa {count} chuỗi, {chars} ký tự).',
  'upload.depth': 'Nội dung XML trong tệp .xlsx lồng nhau quá sâu: tệp hỏng hoặc không phải bảng tính bình thường.',
  'upload.doctype': 'Tệp .xlsx chứa khai báo DOCTYPE: tệp bị từ chối để bảo vệ máy chủ.',
  'upload.encrypted': 'Tệp Excel được đặt mật khẩu: hãy bỏ mật khẩu rồi tải lên lại.',
  'upload.compression': 'Tệp Excel dùng kiểu nén không được hỗ trợ.',
  'upload.unclosedQuote': 'Không đọc được tệp CSV (dòng {line}): dấu ngoặc kép mở ở đây không được đóng.',
  'upload.serverBusy': 'Máy chủ đang đọc nhiều tệp khác. Hãy thử tải lên lại sau ít phút.',
  'upload.accountBusy': 'Bạn đang có một tệp khác đang được đọc. Hãy đợi tệp đó xong rồi tải lên tiếp.',
} as const

export type ErrorKey = keyof typeof errors
