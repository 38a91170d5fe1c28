import net from 'node:net'

export type TcpProxy = {
  port: number
  /** Refuses new connections (ECONNREFUSED); those already open stay until the server ends them. */
  refuseNew: () => void
  /** Connections open through the proxy. */
  openConnections: () => number
  /** Refuses new connections and cuts the open ones, as an unreachable host does. */
  stop: () => Promise<void>
  /** Accepts connections again, on the same port. */
  start: () => Promise<void>
}

/**
 * A TCP proxy on 127.0.0.1:`port` in front of `target`: stopping it takes a server out of reach
 * for everyone connected through it, and only for them.
 */
export const startTcpProxy = async ({
  port,
  target,
}: {
  port: number
  target: { host: string; port: number }
}): Promise<TcpProxy> => {
  const sockets = new Set<net.Socket>()
  const track = (socket: net.Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    socket.on('error', () => socket.destroy())
  }
  let server: net.Server | undefined

  const start = async () => {
    const next = net.createServer((client) => {
      const upstream = net.connect(target.port, target.host)
      track(client)
      track(upstream)
      client.once('close', () => upstream.destroy())
      upstream.once('close', () => client.destroy())
      client.pipe(upstream).pipe(client)
    })
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject)
      next.listen(port, '127.0.0.1', () => resolve())
    })
    server = next
  }

  let closed = Promise.resolve()
  const refuseNew = () => {
    const current = server
    server = undefined
    // The listener stops at once; the callback waits for the open connections to end.
    if (current) closed = new Promise((resolve) => current.close(() => resolve()))
  }

  const stop = async () => {
    refuseNew()
    // Each pair counts twice: the client's socket and the one to the target.
    for (const socket of sockets) socket.destroy()
    await closed
  }

  await start()
  return { port, refuseNew, openConnections: () => sockets.size / 2, stop, start }
}
