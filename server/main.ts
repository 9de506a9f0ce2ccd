/** `npm start`: migrate, seed reference data, serve. */
import { printableDatabaseUrl } from '../db/connect.ts';
import { prepareDatabase } from './start/bootstrap.ts';
import { loadConfig } from './start/config.ts';
import { createLogger } from './log.ts';
import { serve } from './start/serve.ts';
import { issueSetupLink } from './auth/setup.ts';
import { fail } from './cli/output.ts';

try {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  // pg hangs its whole client on some errors: the log gets what happened, not the client's state.
  const ready = await prepareDatabase(config, (error) => logger.warn({ err: { message: error.message, code: (error as { code?: unknown }).code } }, 'database connection lost'));
  if (ready.migrations.length > 0) console.log(`Đã cập nhật cơ sở dữ liệu / migrated: ${ready.migrations.join(', ')}`);
  const setupLink = await issueSetupLink(ready.db.kysely, config.baseUrl);
  serve(config, ready, logger, (url) => {
    // One write, so that whoever reads "is running at" (a person, a test, a supervisor) also has the link.
    const lines = [`SIPAS Nghệ An đang chạy tại / is running at ${url}  (database: ${printableDatabaseUrl(config.databaseUrl)})`];
    if (setupLink) {
      lines.push(
        'Chưa có tài khoản nào. Mở liên kết dùng một lần này để tạo quản trị viên đầu tiên:',
        'No account yet. Open this one-time link to create the first administrator:',
        `  ${setupLink}`,
      );
    }
    console.log(lines.join('\n'));
  });
} catch (error) {
  fail(error);
}
