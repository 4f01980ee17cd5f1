#!/usr/bin/env node
// `npm run admin:create`: creates the first administrator on an external PostgreSQL (DATABASE_URL),
// where no demo accounts are made. Applies the migrations first, seeds nothing else.
//
//   DATABASE_URL=postgres://… npm run admin:create -- --username alice
//   DATABASE_URL=postgres://… ADMIN_USERNAME=alice ADMIN_PASSWORD=… npm run admin:create
//
// Without a password (argument or ADMIN_PASSWORD) it asks for one on the terminal, without echo.
// Exit codes: 0 created, 1 refused or failed, 2 usage.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { checkAdminInput, createAdmin, CreateAdminError, type CreateAdminInput } from '../src/auth/create-admin.js';
import { createDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';

const USAGE = `Usage: DATABASE_URL=postgres://… npm run admin:create -- [--username NAME] [--password PASSWORD] [--display-name NAME]
  --username       or ADMIN_USERNAME      (2–40 lower-case letters, digits, . _ -)
  --password       or ADMIN_PASSWORD      (10+ characters, three of: lower case, upper case, digits, symbols);
                                          asked for on the terminal when omitted
  --display-name   or ADMIN_DISPLAY_NAME  (default 系统管理员)`;

class UsageError extends Error {}

function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      out.help = 'true';
      continue;
    }
    const m = /^--(username|password|display-name)(?:=(.*))?$/.exec(arg);
    if (!m) throw new UsageError(`unknown argument: ${arg.startsWith('--password=') ? '--password=…' : arg}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new UsageError(`${m[1]} needs a value`);
    out[m[1]!] = value;
  }
  return out;
}

/** Reads a line from the terminal without echoing it. */
async function askHidden(prompt: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _enc, done) {
      if (!muted) process.stdout.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  process.stdout.write(prompt);
  muted = true;
  try {
    return await new Promise<string>((resolve) => rl.question('', resolve));
  } finally {
    rl.close();
    process.stdout.write('\n');
  }
}

async function main(): Promise<number> {
  let args: Record<string, string>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`admin:create: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    throw err;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }

  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error(`admin:create: DATABASE_URL is required (the embedded default database has demo accounts instead).\n\n${USAGE}`);
    return 2;
  }
  if (!/^postgres(ql)?:\/\//.test(url)) {
    console.error('admin:create: DATABASE_URL: expected a postgres:// connection URL');
    return 2;
  }
  const username = args.username ?? process.env.ADMIN_USERNAME;
  if (!username) {
    console.error(`admin:create: a username is required (--username or ADMIN_USERNAME).\n\n${USAGE}`);
    return 2;
  }
  let password = args.password ?? process.env.ADMIN_PASSWORD;
  if (args.password !== undefined)
    console.warn(
      'admin:create: warning: a password given as an argument can end up in shell history; prefer ADMIN_PASSWORD or the prompt.',
    );
  if (password === undefined) {
    if (!process.stdin.isTTY) {
      console.error('admin:create: a password is required (--password, ADMIN_PASSWORD, or run in a terminal to be asked).');
      return 2;
    }
    password = await askHidden(`Password for ${username}: `);
    const again = await askHidden('Repeat the password: ');
    if (again !== password) {
      console.error('admin:create: the passwords do not match; nothing was changed.');
      return 1;
    }
  }

  const input: CreateAdminInput = { username, password, displayName: args['display-name'] ?? process.env.ADMIN_DISPLAY_NAME };
  try {
    checkAdminInput(input); // refuse bad input before touching the database
  } catch (err) {
    if (err instanceof CreateAdminError) {
      console.error(`admin:create: refused: ${err.message}`);
      return 1;
    }
    throw err;
  }

  const target = new URL(url);
  const where = `${target.hostname}${target.port ? `:${target.port}` : ''}${target.pathname}`; // never the credentials
  await runMigrations(url);
  console.log(`Migrations applied to ${where}.`);
  const { db, close } = createDatabase(url, { max: 1 });
  try {
    const created = await createAdmin(db, input);
    console.log(
      `Created administrator "${created.username}" (${created.displayName}, staff id ${created.id}); the creation is in the audit log.`,
    );
    if (created.otherAdmins > 0) console.log(`Note: ${created.otherAdmins} other enabled administrator account(s) already existed.`);
    console.log('Log in with POST /api/auth/login; add departments and staff accounts through the admin API.');
    return 0;
  } catch (err) {
    if (err instanceof CreateAdminError) {
      console.error(`admin:create: refused: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // drizzle wraps the driver's error ("Failed query: …"); the cause says what actually went wrong.
    const messages: string[] = [];
    for (let e = err as { message?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
      messages.push((typeof e.message === 'string' ? e.message : JSON.stringify(e)).split('\n')[0]!);
    }
    console.error(`admin:create: failed: ${messages.join(': ')}`);
    process.exit(1);
  },
);
