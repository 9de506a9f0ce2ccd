/**
 * Words the citizen reads on the survey, the thank-you page and the home page, in both languages
 * side by side. Sentences that address the citizen come in one version per kind of service
 * (tthc: a one-stop center or department, health: a hospital, education: a school), because a
 * patient is "Ông/Bà" at a "Khoa/Phòng" while a school speaks to parents and students.
 */
const vi = {
  'survey.title.error': 'Lỗi: {title}',
  'survey.errors.question': 'Câu {n}',
  'survey.errors.question.named': 'Câu {n} ({name})',
  'survey.place.tthc': 'Quầy',
  'survey.place.health': 'Khoa/Phòng',
  'survey.place.education': 'Bộ phận',
  'survey.anonymous.tthc': 'Phiếu ẩn danh: không thu thập họ tên, số điện thoại hay vị trí của Ông/Bà.',
  'survey.anonymous.health': 'Phiếu ẩn danh: không thu thập họ tên, số điện thoại hay vị trí của Ông/Bà.',
  'survey.anonymous.education': 'Phiếu ẩn danh: không thu thập họ tên, số điện thoại hay vị trí của Quý phụ huynh và các em.',
  'survey.optional': 'không bắt buộc',
  'survey.choose.up.to': 'Chọn tối đa {n} mục.',
  'survey.text.hint': 'Xin đừng ghi họ tên, số điện thoại. Tối đa {n} ký tự.',

  'thanks.title.tthc': 'Cảm ơn Ông/Bà đã đánh giá!',
  'thanks.title.health': 'Cảm ơn Ông/Bà đã đánh giá!',
  'thanks.title.education': 'Cảm ơn Quý phụ huynh và các em đã đánh giá!',
  'thanks.body.tthc': 'Ý kiến của Ông/Bà đã được ghi nhận. Kết quả khảo sát được tổng hợp để cơ quan cải thiện chất lượng phục vụ.',
  'thanks.body.health': 'Ý kiến của Ông/Bà đã được ghi nhận. Kết quả khảo sát được tổng hợp để bệnh viện nâng cao chất lượng khám, chữa bệnh.',
  'thanks.body.education': 'Ý kiến của Quý phụ huynh và các em đã được ghi nhận. Kết quả khảo sát được tổng hợp để nhà trường nâng cao chất lượng giáo dục.',
  'thanks.again.tthc': 'Đánh giá một lần giải quyết thủ tục khác',
  'thanks.again.health': 'Đánh giá một lần khám, chữa bệnh khác',
  'thanks.again.education': 'Điền thêm một phiếu khác',

  'home.title': 'Khảo sát sự hài lòng của người dân',
  'home.lead': 'Tỉnh Nghệ An lấy ý kiến người dân, tổ chức về việc giải quyết thủ tục hành chính, về khám, chữa bệnh ở bệnh viện công và về trường học công lập, để các cơ quan, đơn vị phục vụ tốt hơn. Phiếu ẩn danh, chỉ mất khoảng một phút.',
  'home.how.title': 'Cách đánh giá',
  'home.how.1': 'Ở nơi Ông/Bà vừa được phục vụ (quầy tiếp nhận hồ sơ, khoa hoặc phòng của bệnh viện, nhà trường), tìm tờ áp phích có mã QR.',
  'home.how.2': 'Mở camera của điện thoại hoặc Zalo, hướng vào mã QR rồi bấm vào đường dẫn hiện ra.',
  'home.how.3': 'Chọn mức độ hài lòng cho từng câu, rồi bấm "Gửi đánh giá".',
  'home.code.title': 'Không quét được mã QR?',
  'home.code.body': 'Ngay dưới mã QR, áp phích có in địa chỉ của phiếu, bắt đầu bằng {prefix}. Gõ đúng địa chỉ đó vào trình duyệt là mở được phiếu của quầy. Mỗi quầy có một mã riêng để ý kiến được ghi đúng nơi đã phục vụ Ông/Bà, vì vậy không có phiếu chung trên trang này. Nếu không thấy áp phích, xin hỏi cán bộ tại quầy.',
  'home.results.title': 'Kết quả khảo sát',
  'home.results.body': 'Kết quả tổng hợp của tỉnh, theo loại cơ quan, đơn vị và theo lĩnh vực, được công khai cho mọi người xem, không cần đăng nhập.',
  'home.results.link': 'Xem kết quả khảo sát công khai',
  'home.staff.note': 'Dành cho cán bộ:',
  'home.staff': 'Đăng nhập',
} as const;

const en: Record<keyof typeof vi, string> = {
  'survey.title.error': 'Error: {title}',
  'survey.errors.question': 'Question {n}',
  'survey.errors.question.named': 'Question {n} ({name})',
  'survey.place.tthc': 'Desk',
  'survey.place.health': 'Department',
  'survey.place.education': 'Office',
  'survey.anonymous.tthc': 'This survey is anonymous: we do not collect your name, phone number or location.',
  'survey.anonymous.health': 'This survey is anonymous: we do not collect your name, phone number or location.',
  'survey.anonymous.education': 'This survey is anonymous: we do not collect your name, phone number or location.',
  'survey.optional': 'optional',
  'survey.choose.up.to': 'Choose up to {n}.',
  'survey.text.hint': 'Please do not write names or phone numbers. Up to {n} characters.',

  'thanks.title.tthc': 'Thank you for your rating!',
  'thanks.title.health': 'Thank you for your rating!',
  'thanks.title.education': 'Thank you for your rating!',
  'thanks.body.tthc': 'Your opinion has been recorded. Survey results are compiled so that the agency can improve its service.',
  'thanks.body.health': 'Your opinion has been recorded. Survey results are compiled so that the hospital can improve its care.',
  'thanks.body.education': 'Your opinion has been recorded. Survey results are compiled so that the school can improve its teaching and care.',
  'thanks.again.tthc': 'Rate another procedure',
  'thanks.again.health': 'Rate another visit',
  'thanks.again.education': 'Fill in another form',

  'home.title': 'Citizen satisfaction survey',
  'home.lead': 'Nghệ An province asks citizens and organisations how their administrative procedures were handled, how they were cared for in public hospitals and how public schools serve them, so that agencies and units can serve better. The survey is anonymous and takes about a minute.',
  'home.how.title': 'How to give your rating',
  'home.how.1': 'Where you were just served (a one-stop desk, a hospital department, a school), look for the poster with a QR code.',
  'home.how.2': 'Open your phone camera or Zalo, point it at the QR code and tap the link that appears.',
  'home.how.3': 'Choose how satisfied you are for each question, then press "Send my rating".',
  'home.code.title': 'Cannot scan the QR code?',
  'home.code.body': 'Just below the QR code, the poster shows the address of the form, starting with {prefix}. Type that address into your browser to open the desk’s form. Each desk has its own code so that your opinion is counted for the place that served you, which is why there is no general form on this page. If you cannot find the poster, please ask the staff at the desk.',
  'home.results.title': 'Survey results',
  'home.results.body': "The province's combined results, by kind of office and by field, are public: anyone can see them, no sign-in needed.",
  'home.results.link': 'See the public survey results',
  'home.staff.note': 'For staff:',
  'home.staff': 'Sign in',
};

export const survey = { vi, en };
