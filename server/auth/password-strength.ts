/**
 * The one check for a new password, on every path that sets one (the first-administrator link, a
 * set-password link, `sipas user add`): its length, then how guessable it is, estimated by
 * zxcvbn-ts the way a password cracker would (lists of common passwords and words, names,
 * keyboard rows, runs, repeats, dates), with the person's own names and this system's names as
 * words it knows too. Passwords an attacker finds within 10^8 guesses (zxcvbn's score under 3)
 * are refused, with the reason in the person's language.
 */
import { createRequire } from 'node:module';
import { type MatchExtended, ZxcvbnFactory } from '@zxcvbn-ts/core';
import type * as Common from '@zxcvbn-ts/language-common';
import type * as English from '@zxcvbn-ts/language-en';
import type { MessageKey } from '../i18n/index.ts';

/**
 * The word lists are ~40 MB in memory once loaded, and only setting a password needs them: they are
 * required on first use (synchronously, from the packages' CommonJS builds) rather than imported,
 * so a server that never sets a password (nearly all of them, nearly all the time) never holds them.
 */
const requireLazily = createRequire(import.meta.url);

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;
/** zxcvbn's "safely unguessable: moderate protection from an offline slow-hash attack". */
const MIN_SCORE = 3;

/** Words Vietnamese users put in passwords that the English lists lack (unaccented, as zxcvbn compares). */
const LOCAL_WORDS = [
  'matkhau', 'anhyeuem', 'emyeuanh', 'yeuem', 'yeuanh', 'vietnam', 'hanoi', 'saigon', 'hochiminh', 'vinh', 'cualo',
  'hailong', 'canbo', 'motcua', 'ubnd', 'nguyen', 'tran', 'pham', 'hoang', 'huynh', 'phan', 'dang', 'bui', 'ngo', 'duong',
];
/** The examples the password hint shows (i18n 'password.hint'): printed on the page, so known to all. */
const HINT_EXAMPLES = ['ca-phe-sang-o-cho-vinh', 'coffee-at-vinh-market-on-sunday'];
/** This system's own names: as guessable as the person's. */
const SYSTEM_WORDS = ['sipas', 'nghean', 'khaosat', 'quantri', 'admin'];

let factory: ZxcvbnFactory | undefined;
/** Built on first use: the dictionaries take a quarter of a second and some megabytes. */
function estimator(): ZxcvbnFactory {
  if (factory) return factory;
  const common = requireLazily('@zxcvbn-ts/language-common') as typeof Common;
  const english = requireLazily('@zxcvbn-ts/language-en') as typeof English;
  factory = new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary, local: LOCAL_WORDS },
    graphs: common.adjacencyGraphs,
    translations: english.translations,
  });
  return factory;
}

export interface PasswordProblem {
  key: MessageKey;
  params?: Record<string, string | number>;
}

function unaccented(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
}

/** The reason a person understands, from the weakest kind of pattern zxcvbn found. */
function reasonOf(matches: MatchExtended[]): MessageKey {
  const has = (test: (m: MatchExtended) => boolean) => matches.some(test);
  // Dictionaries are named by kind and language: 'passwords-common', 'commonWords-en', 'userInputs'.
  const dictionary = (kind: string) => has((m) => m.pattern === 'dictionary' && String((m as { dictionaryName?: string }).dictionaryName).startsWith(kind));
  if (dictionary('userInputs')) return 'password.problem.personal';
  if (dictionary('passwords')) return 'password.problem.common';
  if (has((m) => m.pattern === 'dictionary')) return 'password.problem.words';
  if (has((m) => m.pattern === 'spatial')) return 'password.problem.keyboard';
  if (has((m) => m.pattern === 'sequence')) return 'password.problem.sequence';
  if (has((m) => m.pattern === 'repeat')) return 'password.problem.repeat';
  if (has((m) => m.pattern === 'date' || m.pattern === 'regex')) return 'password.problem.date';
  return 'password.problem.guessable';
}

/** What is wrong with a new password and what to do instead; empty when it may be used. */
export function newPasswordProblems(password: string, person: { username?: string; displayName?: string } = {}): PasswordProblem[] {
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    return [{ key: 'password.problem.length', params: { min: PASSWORD_MIN, max: PASSWORD_MAX } }];
  }
  if (HINT_EXAMPLES.includes(unaccented(password.trim()))) return [{ key: 'password.problem.example' }, { key: 'password.problem.advice' }];
  const own = [person.username, ...(person.displayName ?? '').split(/\s+/), ...SYSTEM_WORDS]
    .filter((w): w is string => typeof w === 'string' && w.length >= 2)
    .map(unaccented);
  // Vietnamese letters are compared without their marks too: "Mật khẩu" is "mat khau" to a cracker.
  const result = estimator().check(unaccented(password.normalize('NFC')), own);
  return result.score >= MIN_SCORE ? [] : [{ key: reasonOf(result.sequence) }, { key: 'password.problem.advice' }];
}

/**
 * A new password chosen in a form, typed twice (the first administrator, a set-password link): its
 * weaknesses, or that the two differ once it is strong enough.
 */
export function chosenPasswordProblems(password: string, again: string, person: { username?: string; displayName?: string } = {}): PasswordProblem[] {
  const weak = newPasswordProblems(password, person);
  if (weak.length > 0) return weak;
  return password === again ? [] : [{ key: 'setup.error.mismatch' }];
}
