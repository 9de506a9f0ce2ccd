/**
 * `npm run sipas -- <command>`: the administrator's commands. Each one opens the database named by
 * DATABASE_URL (migrating it first, like `npm start`), does one job and ends with a one-line summary.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../start/config.ts';
import { prepareDatabase } from '../start/bootstrap.ts';
import { fail } from './output.ts';
import { commands } from './commands.ts';

const USAGE = `Cách dùng / usage: npm run sipas -- <command> [options]

  migrate                                 cập nhật cấu trúc CSDL / apply database migrations
  seed [--demo] [--responses N] [--months M]
                                          dữ liệu tham chiếu, và dữ liệu mẫu / reference data, and demo data
  desk add --unit CODE --code C --name "Tên quầy" --fields f1,f2 [--questionnaire tthc-short]
                                          tạo quầy, in đường dẫn khảo sát / add a desk, print its survey URL
  desks [--json]                          danh sách quầy và đường dẫn khảo sát / desks and their survey URLs
  dossiers import FILE.csv [--check]      nhập số liệu hồ sơ từ phần mềm một cửa (cả tệp hoặc không dòng nào) /
                                          import dossier counts from the one-stop software (all rows or none)
  alerts run [--dry-run]                  xét cảnh báo ngay, gửi webhook và thư; --dry-run: chỉ in những gì sẽ xảy ra /
                                          evaluate the alerts now, queue webhooks, send emails; --dry-run: only print what would
  export responses|indicators|questions|dossiers [--period P | --from D --to D] [--unit CODE] [--field CODE] [--desk ID]
         [--channel C] [--suspect] [--group field|unit|desk|month|quarter] [--format vn|xlsx] [--lang en] [--out FILE]
                                          xuất CSV hoặc Excel như trên bảng điều khiển (mặc định ra stdout) /
                                          the dashboard's CSV or Excel downloads (stdout unless --out)
  backup --to FILE                        sao lưu CSDL SQLite / online backup of the SQLite database
  copy --to URL                           chép toàn bộ CSDL sang CSDL trống khác (vd. PostgreSQL) /
                                          copy the whole database into a new, empty one (e.g. PostgreSQL)
  user add --username U --role admin|manager|viewer [--unit CODE] [--name "Họ tên"]
                                          tạo tài khoản; mật khẩu đọc từ stdin / add an account, password from stdin
  user disable --username U               khóa tài khoản: đăng xuất, thu hồi token / disable: sign out, revoke tokens
  user enable --username U                mở khóa tài khoản / enable an account again
  token create --username U [--label TEXT] [--expires-days N] [--permission links|counts]
                                          tạo token API (dòng cuối), hết hạn sau N ngày (mặc định 365) /
                                          create an API token (last line), expiring after N days (default 365)
  token list [--username U]               các token API: số, chủ, hạn dùng / API tokens: number, owner, expiry
  token revoke --id N | --username U --all
                                          thu hồi token API / revoke API tokens

Settings come from the environment (DATABASE_URL, BASE_URL, SECRET, ...): see docs/configuration.md.`;

const [name, ...rest] = process.argv.slice(2);
const command = name === undefined ? undefined : commands[name];
if (!command) {
  console.error(name && name !== 'help' && name !== '--help' ? `Lệnh không rõ / unknown command: ${name}\n\n${USAGE}` : USAGE);
  process.exit(name === 'help' || name === '--help' ? 0 : 2);
}

try {
  const { values, positionals } = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
  const config = loadConfig();
  const ready = await prepareDatabase(config);
  try {
    await command.run({ config, ready, values, positionals });
  } finally {
    await ready.db.close();
  }
} catch (error) {
  fail(error);
}
