/** Words of sign-in throttling, password checks and API token expiry, in both languages side by side. */
const vi = {
  'login.throttled': 'Đã có quá nhiều lần nhập sai mật khẩu cho tài khoản này hoặc từ mạng này. Vui lòng thử lại sau {minutes} phút. Nếu quên mật khẩu, Ông/Bà hãy nhờ quản trị viên cấp lại.',

  'password.hint': 'Ít nhất 10 ký tự. Không dùng mật khẩu hay gặp (như 1234567890, matkhau123), tên đăng nhập hay họ tên. Dễ nhớ mà khó đoán nhất là một câu gồm vài từ, ví dụ: ca-phe-sang-o-cho-vinh.',
  'password.problem.length': 'Mật khẩu cần từ {min} đến {max} ký tự.',
  'password.problem.common': 'Mật khẩu này nằm trong danh sách những mật khẩu hay dùng nhất, loại mà kẻ gian thường thử trước tiên.',
  'password.problem.personal': 'Mật khẩu chứa tên đăng nhập, họ tên hoặc tên hệ thống: người khác dễ đoán.',
  'password.problem.sequence': 'Mật khẩu là dãy ký tự liền nhau như 123456 hay abcdef: rất dễ đoán.',
  'password.problem.repeat': 'Mật khẩu lặp lại ký tự hoặc cụm ký tự (như aaaa, abcabc): rất dễ đoán.',
  'password.problem.keyboard': 'Mật khẩu là các phím nằm cạnh nhau trên bàn phím (như qwerty, asdfgh): rất dễ đoán.',
  'password.problem.date': 'Mật khẩu chủ yếu là ngày tháng hoặc năm: rất dễ đoán.',
  'password.problem.words': 'Mật khẩu dựa trên từ thông dụng, tên người hoặc địa danh, chỉ thêm ít chữ số hay ký tự: dễ đoán.',
  'password.problem.guessable': 'Mật khẩu này quá dễ đoán.',
  'password.problem.example': 'Đây là mật khẩu ví dụ in trên trang này: ai cũng đọc được.',
  'password.problem.advice': 'Vui lòng chọn mật khẩu khác, ví dụ một câu gồm vài từ chỉ Ông/Bà nghĩ ra.',

  'admin.tokens.expires': 'Hết hạn',
  'admin.tokens.expired': 'Đã hết hạn',

  'export.busy.title': 'Đang có nhiều tệp được tải cùng lúc',
  'export.busy.body': 'Máy chủ đang xuất {n} tệp CSV cùng lúc, là mức tối đa để người dân vẫn gửi được phiếu. Vui lòng thử lại sau ít phút.',
} as const;

const en: Record<keyof typeof vi, string> = {
  'login.throttled': 'Too many wrong passwords for this account or from this network. Please try again in {minutes} minutes. If you have forgotten your password, ask an administrator for a new link.',

  'password.hint': 'At least 10 characters. Not a common password (such as 1234567890 or matkhau123), your user name or your name. Easiest to remember and hardest to guess: a sentence of a few words, e.g. coffee-at-vinh-market-on-sunday.',
  'password.problem.length': 'The password needs {min} to {max} characters.',
  'password.problem.common': 'This password is on the list of the most used passwords, which attackers try first.',
  'password.problem.personal': 'The password contains the user name, the person\'s name or the name of the system: easy for others to guess.',
  'password.problem.sequence': 'The password is a run of characters such as 123456 or abcdef: very easy to guess.',
  'password.problem.repeat': 'The password repeats a character or a group of characters (such as aaaa or abcabc): very easy to guess.',
  'password.problem.keyboard': 'The password is a row of neighbouring keys (such as qwerty or asdfgh): very easy to guess.',
  'password.problem.date': 'The password is mostly a date or a year: very easy to guess.',
  'password.problem.words': 'The password is built on common words, names or place names with only a few digits or symbols added: easy to guess.',
  'password.problem.guessable': 'This password is too easy to guess.',
  'password.problem.example': 'This is the example printed on this page: anyone can read it.',
  'password.problem.advice': 'Please choose another one, for example a sentence of a few words that only you would think of.',

  'admin.tokens.expires': 'Expires',
  'admin.tokens.expired': 'Expired',
  'export.busy.title': 'Too many downloads at once',
  'export.busy.body': 'The server is already writing {n} CSV files at once, the most it takes so that citizens can still send their forms. Please try again in a few minutes.',
};

export const security = { vi, en };
