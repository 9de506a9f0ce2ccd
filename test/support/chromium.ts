/**
 * Which Chromium the browser tests (and screenshot scripts) drive, so that `npm install && npm test`
 * runs them on any machine: Debian's /usr/bin/chromium when it is there (faster to start), otherwise
 * the Chromium that the npm package @sparticuz/chromium carries inside its tarball. That one is
 * unpacked once into the system temp directory, with the NSS libraries and the font it bundles,
 * which a machine without Debian's chromium package may lack.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';
import { extract } from 'tar-fs';

export interface ChromiumInstall {
  executablePath: string;
  /** Extra environment for the browser process (bundled libraries and fonts); empty for Debian's. */
  env: Record<string, string>;
  /** Where it came from, for the one line the test run prints. */
  source: string;
}

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** The flags every launch uses: headless, no sandbox (root in CI), and no calls to Google's servers. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

function packageDir(): string {
  // The package exports only its entry point (build/index.js); the archives sit in ../bin.
  return dirname(dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')));
}

async function inflate(archive: string, target: string): Promise<void> {
  const unpack = archive.endsWith('.tar.br') ? extract(target) : createWriteStream(target, { mode: 0o755 });
  await pipeline(createReadStream(archive), createBrotliDecompress(), unpack);
}

/** Libraries the binary needs that this machine does not have (ldd's "not found"); all when ldd is missing. */
function missingLibraries(binary: string): boolean {
  const ldd = spawnSync('ldd', [binary], { encoding: 'utf8' });
  return ldd.error !== undefined || ldd.status !== 0 || ldd.stdout.includes('not found');
}

/**
 * Unpacks the bundled Chromium into <tmp>/sipas-chromium-<version> (once: later runs reuse it). The
 * directory is built beside its final name and renamed, so an interrupted unpack never leaves a
 * half-written browser behind.
 */
async function bundledChromium(): Promise<ChromiumInstall> {
  const pkg = packageDir();
  const { version } = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string };
  const dir = join(tmpdir(), `sipas-chromium-${version}`);
  const executablePath = join(dir, 'chromium');
  if (!existsSync(executablePath)) {
    const staging = `${dir}.partial-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    const bin = join(pkg, 'bin');
    await Promise.all([
      inflate(join(bin, 'chromium.br'), join(staging, 'chromium')),
      // SwiftShader's GL libraries must sit beside the binary.
      inflate(join(bin, 'swiftshader.tar.br'), staging),
      inflate(join(bin, 'fonts.tar.br'), join(staging, 'fonts')),
      inflate(join(bin, 'al2023.tar.br'), join(staging, 'al2023')),
    ]);
    // The system's fonts when it has any, and the bundled Open Sans (it has Vietnamese) after them.
    writeFileSync(
      join(staging, 'fonts.conf'),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n` +
        `  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n` +
        `  <dir>${join(dir, 'fonts', 'fonts')}</dir>\n  <cachedir>${join(dir, 'fonts-cache')}</cachedir>\n</fontconfig>\n`,
    );
    try {
      renameSync(staging, dir);
    } catch (error) {
      // Another test run unpacked it first: use theirs.
      rmSync(staging, { recursive: true, force: true });
      if (!existsSync(executablePath)) throw error;
    }
  }
  const env: Record<string, string> = { FONTCONFIG_FILE: join(dir, 'fonts.conf') };
  if (missingLibraries(executablePath)) {
    env.LD_LIBRARY_PATH = [join(dir, 'al2023', 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  }
  return { executablePath, env, source: `@sparticuz/chromium ${version} (unpacked in ${dir})` };
}

/** CHROMIUM_PATH when set, then Debian's Chromium, then the one from the npm package. */
export async function findChromium(): Promise<ChromiumInstall> {
  const chosen = process.env.CHROMIUM_PATH;
  if (chosen) {
    if (!existsSync(chosen)) throw new Error(`CHROMIUM_PATH=${chosen}: no such file. Unset it to use Debian's or the bundled Chromium.`);
    return { executablePath: chosen, env: {}, source: `CHROMIUM_PATH (${chosen})` };
  }
  if (existsSync(DEBIAN_CHROMIUM)) return { executablePath: DEBIAN_CHROMIUM, env: {}, source: `Debian's ${DEBIAN_CHROMIUM}` };
  return bundledChromium();
}
