/**
 * Words of sign-in unlock links (an official kept out of a new phone by someone else's wrong
 * passwords), in both languages side by side: the administrator's button and link, the page the
 * owner opens, and the hint on the sign-in page.
 */
const vi = {
  'login.throttled.new.browser': 'Nếu Ông/Bà là chủ tài khoản: hãy đăng nhập trên trình duyệt đã dùng để đăng nhập trước đây, hoặc nhờ quản trị viên gửi đường dẫn mở khóa đăng nhập rồi mở đường dẫn đó trên trình duyệt này.',

  'admin.user.unlock': 'Tạo đường dẫn mở khóa đăng nhập',
  'admin.user.unlock.note': 'Khi người này không đăng nhập được trên điện thoại hoặc máy tính mới vì có người khác nhập sai mật khẩu nhiều lần, hãy gửi cho họ đường dẫn mở khóa đăng nhập. Mở đường dẫn trên thiết bị đó, họ đăng nhập được ngay bằng mật khẩu của mình. Đường dẫn không đổi mật khẩu.',
  'admin.user.unlock.title': 'Đường dẫn mở khóa đăng nhập',
  'admin.user.unlock.link': 'Đường dẫn mở khóa đăng nhập cho {name} (dùng được một lần, trong {hours} giờ, chỉ hiện ra lần này). Người đó cần mở đường dẫn trên chính thiết bị mới, rồi đăng nhập bằng mật khẩu của mình:',
  'admin.user.unlock.refused': 'Không tạo được đường dẫn mở khóa đăng nhập',
  'admin.user.unlock.disabled': 'Tài khoản đang bị khóa. Hãy mở khóa tài khoản trước.',
  'admin.user.unlock.invited': 'Tài khoản chưa có mật khẩu. Hãy tạo lại đường dẫn đặt mật khẩu.',
  'admin.audit.action.user.unlock.link': 'Cấp đường dẫn mở khóa đăng nhập',
  'admin.audit.action.user.unlock': 'Mở khóa đăng nhập trên một trình duyệt',

  'unlock.title': 'Mở khóa đăng nhập trên trình duyệt này',
  'unlock.body': 'Tài khoản {username} ({name}). Sau khi mở khóa, những lần nhập sai mật khẩu ở nơi khác không còn chặn Ông/Bà đăng nhập trên trình duyệt này. Đường dẫn không đổi mật khẩu và chỉ dùng được một lần.',
  'unlock.private': 'Hãy mở trên chính trình duyệt Ông/Bà sẽ dùng để đăng nhập, không dùng cửa sổ ẩn danh (cửa sổ ẩn danh quên việc mở khóa khi đóng lại).',
  'unlock.submit': 'Mở khóa trình duyệt này',
  'unlock.done.title': 'Đã mở khóa trình duyệt này',
  'unlock.done': 'Ông/Bà có thể đăng nhập ngay bây giờ trên trình duyệt này bằng tài khoản {username} và mật khẩu của mình.',
  'unlock.done.login': 'Đến trang đăng nhập',
  'unlock.invalid.title': 'Đường dẫn không dùng được',
  'unlock.invalid': 'Đường dẫn mở khóa đăng nhập này sai, đã được dùng hoặc đã hết hạn. Nếu vẫn chưa đăng nhập được, vui lòng đề nghị quản trị viên tạo đường dẫn mới.',
} as const;

const en: Record<keyof typeof vi, string> = {
  'login.throttled.new.browser': 'If this is your account: sign in on a browser where you signed in before, or ask an administrator for a sign-in unlock link and open it on this browser.',

  'admin.user.unlock': 'Create a sign-in unlock link',
  'admin.user.unlock.note': 'When this person cannot sign in on a new phone or computer because someone else typed wrong passwords many times, send them a sign-in unlock link. Once they open it on that device, they can sign in at once with their own password. The link does not change the password.',
  'admin.user.unlock.title': 'Sign-in unlock link',
  'admin.user.unlock.link': 'Sign-in unlock link for {name} (works once, for {hours} hours, shown only now). They open it on the new device itself, then sign in with their own password:',
  'admin.user.unlock.refused': 'No sign-in unlock link could be created',
  'admin.user.unlock.disabled': 'The account is disabled. Enable it first.',
  'admin.user.unlock.invited': 'The account has no password yet. Create a new set-password link instead.',
  'admin.audit.action.user.unlock.link': 'Sign-in unlock link issued',
  'admin.audit.action.user.unlock': 'Sign-in unlocked on a browser',

  'unlock.title': 'Unlock sign-in on this browser',
  'unlock.body': 'Account {username} ({name}). Once unlocked, wrong passwords typed elsewhere no longer keep you from signing in on this browser. The link does not change your password and works only once.',
  'unlock.private': 'Open it in the browser you will sign in with, not in a private window (a private window forgets the unlock when it is closed).',
  'unlock.submit': 'Unlock this browser',
  'unlock.done.title': 'This browser is unlocked',
  'unlock.done': 'You can now sign in on this browser as {username} with your own password.',
  'unlock.done.login': 'Go to sign-in',
  'unlock.invalid.title': 'This link cannot be used',
  'unlock.invalid': 'This sign-in unlock link is wrong, was already used or has expired. If you still cannot sign in, please ask an administrator for a new one.',
};

export const unlock = { vi, en };
