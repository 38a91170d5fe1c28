/**
 * `npm run hash-password`: reads a password from the terminal without echoing it (asked twice), or
 * from a pipe (first line), and prints the value for ADMIN_PASSWORD_HASH. Only the hash ever leaves
 * this process; nothing is logged.
 */
import { read } from 'read'

import { adminPasswordLength, hashPasswordPortably } from '../src/config/auth/passwordHash'

const fail = (message: string): never => {
  process.stderr.write(`${message}\n`)
  process.exit(1)
}

const readFromPipe = async (): Promise<string> => {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0]
}

const readFromTerminal = async (): Promise<string> => {
  const ask = (prompt: string) =>
    read({ prompt, silent: true, replace: '', output: process.stderr }).catch(() =>
      fail('Cancelled.'),
    )
  const password = await ask('New admin password: ')
  if ((await ask('Repeat it: ')) !== password) fail('The two entries differ; nothing was printed.')
  return password
}

const password = process.stdin.isTTY ? await readFromTerminal() : await readFromPipe()
if (password.length < adminPasswordLength.min)
  fail(`The password needs at least ${adminPasswordLength.min} characters.`)
if (password.length > adminPasswordLength.max)
  fail(`The password may have at most ${adminPasswordLength.max} characters.`)
process.stdout.write(`${await hashPasswordPortably(password)}\n`)
