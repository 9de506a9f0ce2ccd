/**
 * Runs the HTTP server until SIGINT or SIGTERM, then drains requests and closes the database. Beside
 * it runs the alerts' scheduler (alerts/scheduler.ts: evaluations, digests, webhooks), stopped first.
 */
import type { Server } from 'node:http';
import { createMailer } from '../alerts/mail.ts';
import { createScheduler } from '../alerts/scheduler.ts';
import { createApp } from '../app.ts';
import type { Ready } from './bootstrap.ts';
import type { Config } from './config.ts';
import type { Logger } from '../log.ts';

export function serve(config: Config, ready: Ready, logger: Logger, onListening: (url: string) => void): Server {
  const app = createApp({ db: ready.db.kysely, config, secret: ready.secret, logger });
  const mailer = createMailer(config);
  const scheduler = createScheduler({ db: ready.db.kysely, config, secret: ready.secret, logger, mailer });
  const server = app.listen(config.port, config.host, () => {
    scheduler.start();
    onListening(config.baseUrl);
  });
  server.on('error', (error: NodeJS.ErrnoException) => {
    const hint = error.code === 'EADDRINUSE' ? ` Port ${config.port} is in use: set PORT to a free port.` : '';
    console.error(`Không khởi động được máy chủ / cannot start the server: ${error.message}.${hint}`);
    process.exit(1);
  });
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    // No new tick; a tick under way finishes before the database closes.
    const stopped = scheduler.stop();
    server.close(() => {
      stopped
        .then(() => mailer?.close())
        .then(() => ready.db.close())
        .then(
          () => process.exit(0),
          () => process.exit(1),
        );
    });
    // Keep-alive connections of idle phones must not hold the shutdown forever.
    setTimeout(() => process.exit(0), 10_000).unref();
    server.closeIdleConnections();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  return server;
}
