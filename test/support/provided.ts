/** What global-setup.ts hands to every test file through vitest's provide/inject. */
import type { ChromiumInstall } from './chromium.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The server every PostgreSQL test uses; '' when DIALECTS leaves PostgreSQL out. */
    postgresUrl: string;
    chromium: ChromiumInstall;
  }
}
