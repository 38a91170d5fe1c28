import { spawn } from 'node:child_process'

import { describe, expect, it } from 'vitest'

import { isPasswordMatchingHash, toStoredPassword } from '../../src/config/auth/passwordHash'

type Run = { code: number | null; stdout: string; stderr: string }

type Reply = {
  after: string
  text: string
  /** End the input after this reply: a pipe's end of file. A terminal stays open instead. */
  thenClose?: boolean
}

/**
 * Runs a command and answers its prompts: each reply is written only once the prompt it answers
 * has appeared, as a person typing would — typed earlier, a terminal would still be echoing.
 */
const run = (command: string, args: string[], replies: Reply[]): Promise<Run> =>
  new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let searchFrom = 0
    const pending = [...replies]
    const answer = () => {
      const output = stdout + stderr
      const next = pending[0]
      if (!next) return
      const at = output.indexOf(next.after, searchFrom)
      if (at === -1) return
      searchFrom = at + next.after.length
      pending.shift()
      child.stdin.write(next.text)
      if (next.thenClose) child.stdin.end()
      else answer()
    }
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk
      answer()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk
      answer()
    })
    child.on('close', (code) => resolve({ code, stdout, stderr }))
    answer()
  })

const hashPasswordArgs = ['--import', 'tsx', 'scripts/hash-password.ts']
const hashLine = /pbkdf2-sha256-v1\$[0-9a-f]{64}\$[0-9a-f]{64}/

const verifies = async (output: string, password: string) => {
  const hash = hashLine.exec(output)?.[0]
  if (!hash) return false
  return isPasswordMatchingHash({ password, ...toStoredPassword(hash) })
}

describe('npm run hash-password', () => {
  it('should print a hash of a piped password and nothing else', async () => {
    const result = await run(process.execPath, hashPasswordArgs, [
      { after: '', text: 'piped-password-123\n', thenClose: true },
    ])
    expect(result.code).toBe(0)
    expect(result.stdout.trim()).toMatch(new RegExp(`^${hashLine.source}$`))
    expect(await verifies(result.stdout, 'piped-password-123')).toBe(true)
    expect(result.stdout + result.stderr).not.toContain('piped-password-123')
  })

  it('should not echo a password typed at a terminal, and ask for it twice', async () => {
    // `script` gives the command a real pseudo-terminal, as an operator's shell would.
    const command = `${process.execPath} ${hashPasswordArgs.join(' ')}`
    const result = await run(
      'script',
      ['-q', '-c', command, '/dev/null'],
      [
        { after: 'New admin password:', text: 'typed-password-456\r' },
        { after: 'Repeat it:', text: 'typed-password-456\r' },
      ],
    )
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('New admin password:')
    expect(result.stdout).toContain('Repeat it:')
    expect(result.stdout).not.toContain('typed-password-456')
    expect(await verifies(result.stdout, 'typed-password-456')).toBe(true)
  })

  it('should print nothing when the two entries differ', async () => {
    const command = `${process.execPath} ${hashPasswordArgs.join(' ')}`
    const result = await run(
      'script',
      ['-q', '-c', command, '/dev/null'],
      [
        { after: 'New admin password:', text: 'typed-password-456\r' },
        { after: 'Repeat it:', text: 'typed-password-457\r' },
      ],
    )
    expect(result.stdout).toMatch(/The two entries differ/)
    expect(result.stdout).not.toMatch(hashLine)
  })

  it('should refuse a password shorter than 12 characters', async () => {
    const result = await run(process.execPath, hashPasswordArgs, [
      { after: '', text: 'short\n', thenClose: true },
    ])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/at least 12 characters/)
    expect(result.stdout).toBe('')
  })
})
